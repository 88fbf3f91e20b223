import { describe, expect, it } from "vitest";
import { formatFieldError, parseStackJson, validateStack } from "./validate.js";

export const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u me@laptop";
const base = () => ({ name: "infra", admins: [{ name: "alice", sshKeys: [KEY] }], hosts: [{ name: "web-1" }] as Record<string, unknown>[] });

function errorsOf(input: unknown): string[] {
  const r = validateStack(input);
  if (r.ok) throw new Error("expected the manifest to be rejected");
  return r.errors.map(formatFieldError);
}

describe("stack manifest", () => {
  it("fills in the defaults a user leaves out", () => {
    const r = validateStack(base());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.stack.nixpkgs.branch).toBe("nixos-26.05");
    expect(r.stack.stateVersion).toBe("26.05");
    expect(r.stack.secrets.backend).toBe("env-file");
    expect(r.stack.hosts[0]).toMatchObject({ system: "x86_64-linux", profile: "vps", deploy: { sshPort: 2222 }, disk: { device: "/dev/sda" }, services: [] });
  });

  it("names the field, the bad value and the rule", () => {
    const m = base();
    m.hosts[0]!.name = "Web_1";
    expect(errorsOf(m)).toEqual([`hosts[0].name: "Web_1" — use lowercase letters, digits and '-', 1–63 characters, starting and ending with a letter or digit (NixOS hostName rule)`]);
  });

  it.each([
    [{ deploy: { sshPort: 70000 } }, "hosts[0].deploy.sshPort: 70000 — is not a port (1–65535)"],
    [{ deploy: { sshPort: 22.5 } }, "hosts[0].deploy.sshPort: 22.5 — must be a whole number"],
    [{ system: "riscv64-linux" }, `hosts[0].system: "riscv64-linux" — use one of x86_64-linux, aarch64-linux`],
    [{ disk: { device: "sda" } }, `hosts[0].disk.device: "sda" — use an absolute device path`],
    [{ deploy: { address: "bad host!" } }, `hosts[0].deploy.address: "bad host!" — use an IPv4/IPv6 address or a lowercase DNS name`],
    [{ servces: [] }, `hosts[0]: unknown field "servces": remove it or check the spelling`],
    [{ services: [{ kind: "mystery" }] }, `hosts[0].services[0].kind: "mystery" — use a service "kind" this version knows: gateway`],
    [{ services: [{ kind: "gateway", port: 0 }] }, "hosts[0].services[0].port: 0 — is not a port (1–65535)"],
    [{ services: [{ kind: "gateway", user: "alice" }] }, `hosts[0].services[0].user: "alice" — is admins[0]`],
  ])("rejects host %j", (host, message) => {
    const m = base();
    Object.assign(m.hosts[0]!, host);
    expect(errorsOf(m)[0]).toContain(message);
  });

  it.each([
    ["stateVersion", "26.5", "stateVersion: \"26.5\" — use the release of the first install"],
    ["timeZone", "Europe Berlin", "timeZone: \"Europe Berlin\" — use a tz database name"],
    ["locale", "en_US", "locale: \"en_US\" — use a UTF-8 locale"],
    ["name", "My Infra", "name: \"My Infra\" — use lowercase letters"],
    ["description", "two\nlines", "description: \"two\\nlines\" — description must not contain control characters"],
  ])("rejects %s = %j", (field, value, message) => {
    expect(errorsOf({ ...base(), [field]: value })[0]).toContain(message);
  });

  it("follows the Linux user-name rule and keeps system accounts out", () => {
    expect(errorsOf({ ...base(), admins: [{ name: "Alice" }] })[0]).toContain('admins[0].name: "Alice" — use lowercase letters');
    expect(errorsOf({ ...base(), admins: [{ name: "root" }] })[0]).toContain("is a system account name");
    expect(errorsOf({ ...base(), admins: [{ name: "a".repeat(32) }] })[0]).toContain("at most 31 characters");
  });

  it("checks that an SSH key is one whole key line of a type OpenSSH accepts", () => {
    const withKey = (k: string) => errorsOf({ ...base(), admins: [{ name: "alice", sshKeys: [k] }] })[0];
    expect(withKey("ssh-dss AAAAB3NzaC1kc3M= x")).toContain('key type "ssh-dss"');
    expect(withKey("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKf5 me")).toContain("truncated");
    expect(withKey("ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u")).toContain("does not encode a ssh-rsa key");
    expect(withKey(`${KEY}\nssh-ed25519 AAAA`)).toContain('use one line "<type> <base64> [comment]"');
    expect(validateStack({ ...base(), admins: [{ name: "alice", sshKeys: [KEY, `${KEY.split(" ").slice(0, 2).join(" ")}`] }] }).ok).toBe(true);
  });

  it("refuses a secrets backend no template wires yet, instead of ignoring it", () => {
    expect(errorsOf({ ...base(), secrets: { backend: "agenix" } })).toEqual([`secrets.backend: "agenix" — is not available in this version yet; use "env-file" (secrets in files on the server, outside the Nix store)`]);
    expect(errorsOf({ ...base(), secrets: { backend: "vault" } })[0]).toContain("use one of agenix, sops, env-file");
  });

  it("requires unique host and service names", () => {
    const m = base();
    m.hosts.push({ name: "web-1" });
    expect(errorsOf(m)).toEqual([`hosts[1].name: "web-1" — is already the name of hosts[0]; host names must be unique`]);
  });

  it("requires at least one admin and one host", () => {
    expect(errorsOf({ ...base(), hosts: [] })).toEqual(["hosts: [] — add at least one host"]);
    expect(errorsOf({ name: "x", hosts: [{ name: "a" }] })).toEqual(["admins: is required"]);
  });

  it("reports a JSON syntax error as such", () => {
    const r = parseStackJson("{ name: ", "nixos-stack.json");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(formatFieldError(r.errors[0]!)).toMatch(/^nixos-stack.json: is not valid JSON/);
  });
});

describe("deploy addresses", () => {
  const twoHosts = (a: Record<string, unknown>, b: Record<string, unknown>) => ({ ...base(), hosts: [{ name: "web-1", ...a }, { name: "web-2", ...b }] });

  it("refuses two hosts of one system at the same address and SSH port, naming both", () => {
    expect(errorsOf(twoHosts({ deploy: { address: "203.0.113.10" } }, { deploy: { address: "203.0.113.10" } }))).toEqual([
      `hosts[1].deploy.address: "203.0.113.10" — is also hosts[0].deploy.address, with the same SSH port 2222: give hosts[1] its own address (or deploy.sshPort, behind port forwarding)`,
    ]);
    expect(errorsOf(twoHosts({ deploy: { address: "2001:db8::1" } }, { deploy: { address: "2001:DB8::1" } }))[0]).toContain("is also hosts[0].deploy.address");
  });

  it("accepts one address with different SSH ports, and one server's x86 and ARM configurations", () => {
    expect(validateStack(twoHosts({ deploy: { address: "203.0.113.10", sshPort: 2201 } }, { deploy: { address: "203.0.113.10", sshPort: 2202 } })).ok).toBe(true);
    expect(validateStack(twoHosts({ deploy: { address: "203.0.113.10" } }, { system: "aarch64-linux", deploy: { address: "203.0.113.10" } })).ok).toBe(true);
    expect(validateStack(twoHosts({}, {})).ok).toBe(true);
  });
});
