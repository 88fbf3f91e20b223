/** End to end (the BUILT bin): what a server cannot survive is refused at the command line, naming the flag. */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULTS, NIXPKGS_RELEASES } from "@nixos-stack/core";

const BIN = new URL("../dist/bundle/bin.cjs", import.meta.url).pathname;
const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u me@laptop";
const KEY2 = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBFYfJMTtVUe/vsvNnsM/MREBvwmXv9bkyHUgeqgS36Yxf5uSOunglFUOlAUAXlGXT5Ow3bj38nS2qnfa3uHPEPM= me@desktop";

let cwd: string;
let home: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), "create-nixos-stack-rules-"));
  home = await mkdtemp(join(tmpdir(), "create-nixos-stack-home-"));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

const run = (args: string[]) => execa("node", [BIN, ...args], { cwd, reject: false, timeout: 30_000, env: { HOME: home, NO_COLOR: "1", GIT_CONFIG_GLOBAL: "/dev/null" } });
const manifest = async (dir: string) => JSON.parse(await readFile(join(cwd, dir, "nixos-stack.json"), "utf8"));

describe.runIf(existsSync(BIN))("create-nixos-stack refuses what a server cannot survive", () => {
  it.each([
    [["--ssh-port", "18789"], "hosts[0].deploy.sshPort: 18789 — is also hosts[0].services[0].port; give each its own port (set by --ssh-port)"],
    [["--disk", "/dev/../etc/passwd"], `hosts[0].disk.device: "/dev/../etc/passwd" — must not contain "." or ".." segments`],
    [["--disk", "/dev/sda1"], `hosts[0].disk.device: "/dev/sda1" — is a partition: give the whole disk, "/dev/sda"`],
    [["--nixpkgs", "nixos-99.05"], `nixpkgs.branch: "nixos-99.05" — is not a NixOS release this version of nixos-stack knows: use "nixos-26.05" or "nixos-unstable"`],
    [["--nixpkgs", "nixos-25.11"], `nixpkgs.branch: "nixos-25.11" — is end of life`],
    [["--time-zone", "Mars/Olympus"], `timeZone: "Mars/Olympus" — is not in the tz database`],
    [["--time-zone", "europe/berlin"], `timeZone: "europe/berlin" — is spelt differently in the tz database: did you mean "Europe/Berlin"? (set by --time-zone)`],
    [["--locale", "sr_RS@latin.UTF-8"], `locale: "sr_RS@latin.UTF-8" — puts the @modifier before the code set; glibc writes "sr_RS.UTF-8@latin"`],
    [["--address", ":"], `hosts[0].deploy.address: ":" — is not an IPv6 address`],
    [["--ssh-key", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGZlZWRmYWNlZmVlZGZhY2VmZWVkZmFjZWZlZWRmYWNl"], "is the placeholder key from nixos-stack's examples"],
  ])("%j: exit 1, the field, the rule and the flag; nothing written", async (flags, message) => {
    const r = await run(["infra", "--yes", "--no-git", ...flags]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(message);
    expect(existsSync(join(cwd, "infra"))).toBe(false);
  });

  it("--ssh-key reads every key of a .pub file (CRLF too), even one named like a key type, and may be repeated", async () => {
    await writeFile(join(cwd, "ssh-laptop.pub"), `${KEY}\r\n${KEY2}\r\n`);
    const r = await run(["infra", "--yes", "--no-git", "--ssh-key", "ssh-laptop.pub"]);
    expect(r.exitCode).toBe(0);
    expect((await manifest("infra")).admins[0].sshKeys).toEqual([KEY, KEY2]);
    await writeFile(join(cwd, "desktop.pub"), `${KEY2}\n`);
    expect((await run(["two", "--yes", "--no-git", "--ssh-key", KEY, "--ssh-key", "desktop.pub"])).exitCode).toBe(0);
    expect((await manifest("two")).admins[0].sshKeys).toEqual([KEY, KEY2]);
  });

  it("--ssh-key on a directory says to give the .pub file, not that it is a private key", async () => {
    await mkdir(join(cwd, "keys"));
    const r = await run(["infra", "--yes", "--no-git", "--ssh-key", "keys"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("--ssh-key keys: is a directory; give the public key file in it (e.g. keys/id_ed25519.pub)");
    expect(r.stderr).not.toContain("PRIVATE");
  });

  it("a new repo gets its branch's stateVersion, written in the manifest; a manifest's newer than its branch is refused", async () => {
    const r = await run(["infra", "--yes", "--no-git", "--nixpkgs", "nixos-unstable", "--ssh-key", KEY]);
    expect(r.exitCode).toBe(0);
    const m = await manifest("infra");
    expect(m.stateVersion).toBe(NIXPKGS_RELEASES.find((release) => release.branch === "nixos-unstable")!.stateVersion);
    // home-manager master, at the commit templates/pins/upstream-inputs.json pins
    expect(await readFile(join(cwd, "infra/flake.nix"), "utf8")).toContain("github:nix-community/home-manager/ec1a8fdf74ed3f276148ee106299a2ba0e65d51f");
    // home-manager release-26.05 has no home.stateVersion "26.11": refused before anything is written
    await writeFile(join(cwd, "newer.json"), JSON.stringify({ ...m, nixpkgs: { branch: "nixos-26.05" }, stateVersion: "26.11" }));
    const newer = await run(["other", "--no-git", "--config", "newer.json"]);
    expect(newer.exitCode).toBe(1);
    expect(newer.stderr).toContain(`stateVersion: "26.11" — is newer than nixos-26.05 (26.05)`);
    expect(existsSync(join(cwd, "other"))).toBe(false);
  });

  it("--help shows the defaults the schema applies", async () => {
    const help = (await run(["--help"])).stdout.replace(/\s+/g, " ");
    for (const value of [DEFAULTS.adminName, `${DEFAULTS.sshPort} on a VPS, 22 in a fleet`, DEFAULTS.timeZone, DEFAULTS.locale, DEFAULTS.nixpkgsBranch, DEFAULTS.diskDevice]) expect(help).toContain(`(default: ${value})`);
  });
});
