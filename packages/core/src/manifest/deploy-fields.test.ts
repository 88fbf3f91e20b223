import { describe, expect, it } from "vitest";
import { formatFieldError, validateStack } from "./validate.js";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u me@laptop";
const fleet = (host: Record<string, unknown> = {}, stack: Record<string, unknown> = {}) => ({
  name: "lan",
  admins: [{ name: "alice", sshKeys: [KEY] }],
  hosts: [{ name: "lab", profile: "server", ...host }],
  ...stack,
});

function errorsOf(input: unknown): string[] {
  const r = validateStack(input);
  if (r.ok) throw new Error("expected the manifest to be rejected");
  return r.errors.map(formatFieldError);
}

describe("deploy fields of the manifest", () => {
  it("defaults to what the VPS scripts do: root by key, nixos-rebuild, no sudo password, no tags", () => {
    const r = validateStack(fleet());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.stack.deployer).toBe("nixos-rebuild");
    expect(r.stack.sudo).toBe("nopasswd");
    expect(r.stack.hosts[0]!.deploy.user).toBe("root");
    expect(r.stack.hosts[0]!.tags).toEqual([]);
  });

  it("accepts the fleet profiles, an ordinary deploy user, tags, deploy-rs and colmena", () => {
    for (const profile of ["server", "workstation", "media", "vps"]) expect(validateStack(fleet({ profile })).ok, profile).toBe(true);
    const r = validateStack(fleet({ deploy: { user: "alice" }, tags: ["lab", "rack-2"] }, { deployer: "deploy-rs", sudo: "password" }));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.stack.hosts[0]).toMatchObject({ deploy: { user: "alice", sshPort: 2222 }, tags: ["lab", "rack-2"] });
    expect(validateStack(fleet({ tags: ["media"] }, { deployer: "colmena" })).ok).toBe(true);
  });

  it.each([
    [{ profile: "desktop" }, `hosts[0].profile: "desktop" — use one of vps, server, workstation, media`],
    [{ deploy: { user: "Alice" } }, `hosts[0].deploy.user: "Alice" — use "root" or a user name: lowercase letters, digits, '_' and '-', starting with a letter or '_', at most 31 characters (Linux user name rule)`],
    [{ deploy: { user: "nobody" } }, `hosts[0].deploy.user: "nobody" — is a system account name; pick another user name`],
    [{ tags: ["Lab"] }, `hosts[0].tags[0]: "Lab" — use lowercase letters, digits and '-', 1–32 characters`],
    [{ tags: ["-x"] }, `hosts[0].tags[0]: "-x" — use lowercase letters`],
    [{ tags: ["a".repeat(33)] }, "1–32 characters"],
    [{ tags: ["lab", "media", "lab"] }, `hosts[0].tags[2]: "lab" — is already tags[0] of this host; remove the repeat`],
  ])("rejects host %j", (host, message) => {
    const errors = errorsOf(fleet(host));
    expect(errors[0]).toContain(message);
    expect(errors).toHaveLength(1);
  });

  it.each([
    ["deployer", "nixops", `deployer: "nixops" — use one of nixos-rebuild, deploy-rs, colmena`],
    ["sudo", "ask", `sudo: "ask" — use one of password, nopasswd`],
  ])("rejects %s = %j", (field, value, message) => {
    expect(errorsOf(fleet({}, { [field]: value }))).toEqual([message]);
  });

  it("refuses colmena with a sudo password (colmena cannot type it) unless every target logs in as root", () => {
    expect(errorsOf(fleet({ deploy: { user: "alice" } }, { deployer: "colmena", sudo: "password" }))).toEqual([
      `sudo: "password" — cannot be used with deployer "colmena", which runs sudo without a terminal on hosts[0] (deploy.user "alice"): use "nopasswd", or deployer "nixos-rebuild" or "deploy-rs", which ask for the password`,
    ]);
    expect(validateStack(fleet({}, { deployer: "colmena", sudo: "password" })).ok).toBe(true);
  });
});
