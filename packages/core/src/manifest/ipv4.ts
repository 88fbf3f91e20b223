/** IPv4 addresses and subnets (CIDR) as numbers, for the containers kind's address checks. */
import * as z from "zod/mini";
import { builtOnce } from "./built-once.js";

const OCTETS = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The address as a 32-bit number, or undefined when it is not a dotted quad of 0–255. */
export function ipv4ToNumber(address: string): number | undefined {
  const m = OCTETS.exec(address);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return octets.reduce((n, o) => n * 256 + o, 0);
}

export function numberToIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

export interface Subnet {
  network: number;
  prefix: number;
  /** first and last address usable by a machine (network and broadcast excluded) */
  first: number;
  last: number;
}

export function parseSubnet(cidr: string): Subnet | undefined {
  const [address, prefixText] = cidr.split("/");
  const base = ipv4ToNumber(address ?? "");
  const prefix = Number(prefixText);
  if (base === undefined || !/^\d{1,2}$/.test(prefixText ?? "") || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  const network = base - (base % size);
  return { network, prefix, first: network + 1, last: network + size - 2 };
}

export const inSubnet = (subnet: Subnet, address: number) => address >= subnet.first && address <= subnet.last;

export const ipv4Address = builtOnce(() => z.string().check(z.refine((a) => ipv4ToNumber(a) !== undefined, "use an IPv4 address such as 10.233.1.2")));

/** A private IPv4 subnet for containers: /16 to /29, written with its network address. */
export const ipv4Subnet = builtOnce(() => z.string().check(z.superRefine((cidr, ctx) => {
  const subnet = parseSubnet(cidr);
  if (!subnet) return void ctx.addIssue({ code: "custom", message: "use a subnet in CIDR form such as 10.233.1.0/24" });
  if (subnet.prefix < 16 || subnet.prefix > 29) return void ctx.addIssue({ code: "custom", message: "use a prefix from /16 to /29, such as 10.233.1.0/24" });
  if (ipv4ToNumber(cidr.split("/")[0]!) !== subnet.network) ctx.addIssue({ code: "custom", message: `write the network address: ${numberToIpv4(subnet.network)}/${subnet.prefix}` });
})));
