import { expect, it } from "vitest";
import { addressProblem } from "./address.js";

it.each(["203.0.113.7", "2001:db8::1", "::ffff:203.0.113.7", "vps.example.org", "vps", "web-1.eu.example.org", "xn--bcher-kva.example"])("accepts %s", (address) =>
  expect(addressProblem(address)).toBeUndefined(),
);

it.each([
  [":", "is not an IPv6 address"],
  ["2001:db8::g", "is not an IPv6 address"],
  ["vps.example.org:2222", "give the SSH port in deploy.sshPort"],
  ["[2001:db8::1]", 'without brackets: "2001:db8::1"'],
  ["fe80::1%eth0", "has an IPv6 zone"],
  ["256.1.1.1", "is not an IPv4 address"],
  ["203.0.113", "is not an IPv4 address"],
  ["vps.example.org.", 'drop the trailing dot: "vps.example.org"'],
  ["VPS.Example.org", 'lower case: "vps.example.org"'],
  ["host.123", "use an IPv4/IPv6 address or a DNS host name"],
  ["-vps.example.org", "use an IPv4/IPv6 address or a DNS host name"],
  ["a..b", "use an IPv4/IPv6 address or a DNS host name"],
  ["bad host!", "use an IPv4/IPv6 address or a DNS host name"],
])("refuses %s: %s", (address, message) => expect(addressProblem(address)).toContain(message));
