/** deploy.address: where the deploy scripts reach a host, an IP address (node:net) or a DNS host name. */
import * as z from "zod/mini";
import { builtOnce } from "./built-once.js";

/**
 * node:net's isIP (0, 4 or 6), with node:net loaded on the first address checked: most manifests
 * have none at scaffold time, and loading it (its stream and socket modules) costs a start about 1 ms.
 */
export function isIP(address: string): number {
  return process.getBuiltinModule("node:net").isIP(address);
}

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function addressProblem(address: string): string | undefined {
  if (isIP(address)) {
    // a zone names an interface of the machine you deploy from; it means nothing in a shared repo
    if (address.includes("%")) return "has an IPv6 zone (%…), which only works from one machine: put a global address here, or pass the link-local one to the scripts with --host";
    return undefined;
  }
  if (/^\[.*\]$/.test(address) && isIP(address.slice(1, -1))) return `write the IPv6 address without brackets: "${address.slice(1, -1)}"`;
  if (address.includes(":")) return "is not an IPv6 address (and a host name has no ':'; give the SSH port in deploy.sshPort)";
  if (/^[0-9.]+$/.test(address)) return "is not an IPv4 address: four numbers 0–255, like 203.0.113.7";
  if (address.endsWith(".")) return `drop the trailing dot: "${address.slice(0, -1)}"`;
  const labels = address.split(".");
  if (address.length <= 253 && labels.every((l) => DNS_LABEL.test(l.toLowerCase())) && !/^[0-9]+$/.test(labels.at(-1)!)) {
    return address === address.toLowerCase() ? undefined : `write the host name in lower case: "${address.toLowerCase()}"`;
  }
  return "use an IPv4/IPv6 address or a DNS host name (letters, digits and '-' between dots, like vps.example.org)";
}

export const deployAddress = builtOnce(() => z.string().check(
  z.superRefine((address, ctx) => {
    const problem = addressProblem(address);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
));
