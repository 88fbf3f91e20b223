import { describe, expect, it } from "vitest";
import { DEFAULTS } from "./defaults.js";
import { NIXPKGS_RELEASES } from "./releases.js";
import { PLACEHOLDER_SSH_KEY } from "./ssh-key.js";
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
    expect(r.stack).toMatchObject({ timeZone: DEFAULTS.timeZone, locale: DEFAULTS.locale, description: DEFAULTS.description });
    expect(r.stack.hosts[0]).toMatchObject({ system: "x86_64-linux", profile: "vps", deploy: { sshPort: DEFAULTS.sshPort }, disk: { device: DEFAULTS.diskDevice }, services: [] });
  });

  it("fills in a gateway's defaults from DEFAULTS", () => {
    const m = base();
    m.hosts[0]!.services = [{ kind: "gateway" }];
    const r = validateStack(m);
    expect(r.ok && r.stack.hosts[0]!.services[0]).toEqual({ kind: "gateway", ...DEFAULTS.gateway });
  });

  it("gives a new repo the stateVersion of its branch, and spells it out where it was", () => {
    for (const release of NIXPKGS_RELEASES) {
      const r = validateStack({ ...base(), nixpkgs: { branch: release.branch } });
      expect(r.ok && r.stack.stateVersion).toBe(release.stateVersion);
      // key order of the written manifest: the stateVersion stays next to the branch
      expect(r.ok && Object.keys(r.stack).slice(0, 4)).toEqual(["name", "description", "nixpkgs", "stateVersion"]);
    }
  });

  it("keeps an existing server's older stateVersion, and refuses one newer than the branch", () => {
    const older = validateStack({ ...base(), stateVersion: "24.11" });
    expect(older.ok && older.stack.stateVersion).toBe("24.11");
    expect(errorsOf({ ...base(), stateVersion: "26.11" })).toEqual([`stateVersion: "26.11" — is newer than nixos-26.05 (26.05); stateVersion is the release of the first install, never newer than the one you run`]);
    // unstable's modules (and home-manager master) already know 26.11
    expect(validateStack({ ...base(), nixpkgs: { branch: "nixos-unstable" }, stateVersion: "26.11" }).ok).toBe(true);
    expect(errorsOf({ ...base(), stateVersion: "25.06" })[0]).toContain('stateVersion: "25.06" — is not a NixOS release');
  });

  it("refuses a stateVersion home-manager rejects when the gateway runs under it", () => {
    const m = { ...base(), stateVersion: "18.03" };
    expect(validateStack(m).ok).toBe(true);
    m.hosts[0]!.services = [{ kind: "gateway" }];
    expect(errorsOf(m)[0]).toContain('stateVersion: "18.03" — is older than home-manager supports (home.stateVersion 18.09 or later)');
  });

  it.each([
    ["nixos-99.05", 'is not a NixOS release this version of nixos-stack knows: use "nixos-26.05" or "nixos-unstable" (or a newer nixos-stack: npm create nixos-stack@latest)'],
    ["nixos-25.11", 'is end of life (NixOS maintains a release until a month after the next one, then no security fixes): use "nixos-26.05" or "nixos-unstable"; a server installed with 25.11 keeps "stateVersion": "25.11"'],
    ["nixos-21.03", 'is not a supported nixpkgs branch: use "nixos-26.05" or "nixos-unstable"'],
    ["main", 'is not a supported nixpkgs branch: use "nixos-26.05" or "nixos-unstable"'],
  ])("refuses nixpkgs branch %s, naming the supported ones", (branch, message) => {
    expect(errorsOf({ ...base(), nixpkgs: { branch } })).toEqual([`nixpkgs.branch: "${branch}" — ${message}`]);
  });

  it("refuses a port clash on a host, naming both fields", () => {
    const m = base();
    m.hosts[0]!.deploy = { sshPort: 18789 };
    m.hosts[0]!.services = [{ kind: "gateway" }];
    expect(errorsOf(m)).toEqual(["hosts[0].deploy.sshPort: 18789 — is also hosts[0].services[0].port; give each its own port"]);
    m.hosts[0]!.deploy = { sshPort: 2222 };
    m.hosts[0]!.services = [{ kind: "gateway", name: "one", user: "one", port: 9000 }, { kind: "gateway", name: "two", user: "two", port: 9000 }];
    expect(errorsOf(m)).toEqual(["hosts[0].services[1].port: 9000 — is also hosts[0].services[0].port; give each its own port"]);
    // the same port on two hosts is fine
    const two = base();
    two.hosts = [{ name: "a", deploy: { sshPort: 9000 } }, { name: "b", services: [{ kind: "gateway", port: 9000 }] }];
    expect(validateStack(two).ok).toBe(true);
  });

  it("refuses the published placeholder key, with any comment", () => {
    const withKey = (k: string) => errorsOf({ ...base(), admins: [{ name: "alice", sshKeys: [k] }] });
    const rule = "is the placeholder key from nixos-stack's examples: nobody has its private key, so a server installed with it locks everyone out. Use your own: `ssh-keygen -t ed25519`, then give its .pub file (~/.ssh/id_ed25519.pub)";
    expect(withKey(`${PLACEHOLDER_SSH_KEY} you@example`)).toEqual([expect.stringMatching(/^admins\[0\]\.sshKeys\[0\]: "ssh-ed25519 AAAAC3Nza/)]);
    expect(withKey(`${PLACEHOLDER_SSH_KEY} you@example`)[0]).toContain(` — ${rule}`);
    expect(withKey(PLACEHOLDER_SSH_KEY)[0]).toContain(rule);
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
    [{ disk: { device: "sda" } }, `hosts[0].disk.device: "sda" — use a whole-disk device: /dev/sdX`],
    [{ disk: { device: "/dev/../etc/passwd" } }, `hosts[0].disk.device: "/dev/../etc/passwd" — must not contain "." or ".." segments`],
    [{ deploy: { address: "bad host!" } }, `hosts[0].deploy.address: "bad host!" — use an IPv4/IPv6 address or a DNS host name`],
    [{ deploy: { address: ":" } }, `hosts[0].deploy.address: ":" — is not an IPv6 address`],
    [{ servces: [] }, `hosts[0]: unknown field "servces": remove it or check the spelling`],
    [{ services: [{ kind: "mystery" }] }, `hosts[0].services[0].kind: "mystery" — use a service "kind" this version knows: gateway`],
    [{ services: [{ kind: "gateway", port: 0 }] }, "hosts[0].services[0].port: 0 — is not a port (1–65535)"],
    [{ services: [{ kind: "gateway", port: 80 }] }, "hosts[0].services[0].port: 80 — is below 1024, which an unprivileged user service cannot listen on"],
    [{ services: [{ kind: "gateway", user: "alice" }] }, `hosts[0].services[0].user: "alice" — is admins[0]`],
    [{ services: [{ kind: "gateway", name: "one", user: "svc", port: 2000 }, { kind: "gateway", name: "two", user: "svc", port: 2001 }] }, `hosts[0].services[1].user: "svc" — is already the user of services[0] on this host`],
  ])("rejects host %j", (host, message) => {
    const m = base();
    Object.assign(m.hosts[0]!, host);
    expect(errorsOf(m)[0]).toContain(message);
  });

  it.each([
    ["stateVersion", "26.5", "stateVersion: \"26.5\" — use the release of the first install"],
    ["timeZone", "Europe Berlin", "timeZone: \"Europe Berlin\" — use a tz database name"],
    ["timeZone", "Mars/Olympus", "timeZone: \"Mars/Olympus\" — is not in the tz database"],
    ["timeZone", "europe/berlin", "timeZone: \"europe/berlin\" — is spelt differently in the tz database: did you mean \"Europe/Berlin\"?"],
    ["locale", "en_US", "locale: \"en_US\" — add the code set: \"en_US.UTF-8\""],
    ["locale", "sr_RS@latin.UTF-8", "locale: \"sr_RS@latin.UTF-8\" — puts the @modifier before the code set; glibc writes \"sr_RS.UTF-8@latin\""],
    ["name", "My Infra", "name: \"My Infra\" — use lowercase letters"],
    ["description", "two\nlines", "description: \"two\\nlines\" — description must not contain control characters"],
  ])("rejects %s = %j", (field, value, message) => {
    expect(errorsOf({ ...base(), [field]: value })[0]).toContain(message);
  });

  it("refuses an admin description NixOS would refuse: ':' ends the /etc/passwd comment field (users.users.<name>.description is passwdEntry)", () => {
    const withDescription = (description: string) => ({ ...base(), admins: [{ name: "alice", sshKeys: [KEY], description }] });
    expect(errorsOf(withDescription("Alice: ops"))[0]).toContain(`admins[0].description: "Alice: ops" — must not contain ':'`);
    expect(validateStack(withDescription("Alice Liddell (ops)")).ok).toBe(true);
  });

  it("takes net.core.rmem_max/wmem_max only as whole numbers of 0 or more, as NixOS declares them (nullOr ints.unsigned)", () => {
    const withSysctl = (sysctl: Record<string, unknown>) => ({ ...base(), hosts: [{ name: "web-1", tuning: { sysctl } }] });
    expect(errorsOf(withSysctl({ "net.core.rmem_max": "16777216" }))[0]).toContain(`hosts[0].tuning.sysctl["net.core.rmem_max"]: "16777216" — must be a whole number of bytes, 0 or more`);
    expect(errorsOf(withSysctl({ "net.core.wmem_max": -1 }))[0]).toContain(`hosts[0].tuning.sysctl["net.core.wmem_max"]: -1 — must be a whole number of bytes, 0 or more`);
    // any other key may still be a string (multi-value sysctls) or a negative number
    expect(validateStack(withSysctl({ "net.core.rmem_max": 16777216, "net.ipv4.tcp_rmem": "4096 87380 6291456", "kernel.sched_autogroup_enabled": 0 })).ok).toBe(true);
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

  it("accepts agenix and sops, and refuses an unknown secrets backend", () => {
    for (const backend of ["agenix", "sops", "env-file"]) {
      const r = validateStack({ ...base(), secrets: { backend } });
      expect(r.ok && r.stack.secrets.backend).toBe(backend);
    }
    expect(errorsOf({ ...base(), secrets: { backend: "vault" } })[0]).toContain("use one of agenix, sops, env-file");
  });

  it("takes a host's ed25519 host key for agenix/sops, and names the file to read it from otherwise", () => {
    const withHostKey = (k: string) => errorsOf({ ...base(), hosts: [{ ...base().hosts[0], hostKey: k }] });
    const r = validateStack({ ...base(), hosts: [{ ...base().hosts[0], hostKey: KEY }] });
    expect(r.ok && r.stack.hosts[0]!.hostKey).toBe(KEY);
    expect(withHostKey("ssh-rsa AAAAB3NzaC1yc2E= x")[0]).toMatch(/^hosts\[0\]\.hostKey: /);
    expect(withHostKey("not a key")[0]).toMatch(/^hosts\[0\]\.hostKey: /);
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
    expect(errorsOf(twoHosts({ deploy: { address: "2001:db8::1" } }, { deploy: { address: "2001:0db8:0:0::0001" } }))[0]).toContain("is also hosts[0].deploy.address");
  });

  it("accepts one address with different SSH ports, and one server's x86 and ARM configurations", () => {
    expect(validateStack(twoHosts({ deploy: { address: "203.0.113.10", sshPort: 2201 } }, { deploy: { address: "203.0.113.10", sshPort: 2202 } })).ok).toBe(true);
    expect(validateStack(twoHosts({ deploy: { address: "203.0.113.10" } }, { system: "aarch64-linux", deploy: { address: "203.0.113.10" } })).ok).toBe(true);
    expect(validateStack(twoHosts({}, {})).ok).toBe(true);
  });
});
