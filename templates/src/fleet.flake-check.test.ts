/**
 * The LAN fleet's modules under the real module system (see flake-check.test.ts for what the
 * offline check proves): every sudo choice evaluates to a system someone can log into, the
 * profile groups and shell reach the primary user, each system knows its commit, and a target
 * evaluates both before and after its hardware-configuration.nix exists.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderStack } from "./index.js";
import { offlineFlakeCheck, offlineInputOverrides, overrideInputArgs, SURFACE_BRANCHES, type SurfaceBranch } from "./test-support/offline-inputs.js";
import { fleetStack, writeTree } from "./test-support/render-to-disk.js";

const offline = offlineFlakeCheck();
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const NIX = ["--extra-experimental-features", "nix-command flakes"];

function gitRepo(tree: ReturnType<typeof renderStack>, edit?: (dir: string) => void): { dir: string; rev: string } {
  const dir = mkdtempSync(join(tmpdir(), "nixos-stack-fleet-"));
  dirs.push(dir);
  writeTree(tree, dir);
  edit?.(dir);
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd: dir, encoding: "utf8" }).trim();
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "generated");
  return { dir, rev: git("rev-parse", "HEAD") };
}

/** Adds lines to a target's own configuration.nix (the user's file). */
function plant(target: string, lines: string) {
  return (dir: string) => {
    const file = join(dir, "targets", target, "configuration.nix");
    const source = readFileSync(file, "utf8").replace("{ lib, pkgs, ... }:\n{\n", `{ lib, pkgs, ... }:\n{\n${lines}\n`);
    if (!source.includes(lines)) throw new Error(`could not plant into ${file}`);
    writeFileSync(file, source);
  };
}

function flakeCheck(dir: string, branch: SurfaceBranch) {
  if (!offline.ok) throw new Error(offline.reason);
  const r = spawnSync("nix", [...NIX, "flake", "check", "-v", "--no-build", "--keep-going", "--no-write-lock-file", ...overrideInputArgs(offlineInputOverrides(branch, offline.path))], { cwd: dir, encoding: "utf8" });
  return { status: r.status, log: r.stderr };
}

function nixEval(dir: string, branch: SurfaceBranch, attr: string, apply: string) {
  if (!offline.ok) throw new Error(offline.reason);
  const out = execFileSync("nix", [...NIX, "eval", "--json", "--no-write-lock-file", `.#${attr}`, "--apply", apply, ...overrideInputArgs(offlineInputOverrides(branch, offline.path))], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return JSON.parse(out);
}

const ACCESS = `host: let c = host.config; u = c.users.users.admin; in {
  mutable = c.users.mutableUsers;
  wheelNeedsPassword = c.security.sudo.wheelNeedsPassword;
  keys = u.openssh.authorizedKeys.keys;
  groups = u.extraGroups;
  rootLogin = c.services.openssh.settings.PermitRootLogin;
  rev = c.system.configurationRevision;
  root = c.fileSystems."/".device;
  assertionsHold = builtins.all (a: a.assertion) c.assertions;
}`;

describe.runIf(offline.ok).each(SURFACE_BRANCHES)("the LAN fleet against the %s option surface", (branch) => {
  it("passes nix flake check for the three --yes targets, with password sudo and with nopasswd", () => {
    for (const sudo of ["password", "nopasswd"] as const) {
      const { status, log } = flakeCheck(gitRepo(renderStack(fleetStack({ nixpkgsBranch: branch, sudo }))).dir, branch);
      expect(log).not.toMatch(/error/);
      expect(status).toBe(0);
    }
  });

  it("evaluates every sudo choice to a system the primary user can log into and sudo on (the lock-out matrix)", () => {
    const nopasswd = gitRepo(renderStack(fleetStack({ nixpkgsBranch: branch, sudo: "nopasswd" })));
    const password = gitRepo(renderStack(fleetStack({ nixpkgsBranch: branch, sudo: "password" })));
    const a = nixEval(nopasswd.dir, branch, "nixosConfigurations.lab-server", ACCESS);
    const b = nixEval(password.dir, branch, "nixosConfigurations.lab-server", ACCESS);
    // keys only: immutable users, sudo without a password
    expect(a).toMatchObject({ mutable: false, wheelNeedsPassword: false, rootLogin: "no", assertionsHold: true });
    expect(a.keys.length).toBe(1);
    // password: mutable users, so the password set with passwd survives deploys
    expect(b).toMatchObject({ mutable: true, wheelNeedsPassword: true, rootLogin: "no", assertionsHold: true });
  });

  it("refuses a system nobody can log into: no key with immutable users fails ours and upstream's lock-out assertion", () => {
    const { dir } = gitRepo(renderStack(fleetStack({ nixpkgsBranch: branch, sudo: "nopasswd" })), plant("lab-server", "  users.users.admin.openssh.authorizedKeys.keys = lib.mkForce [ ];"));
    const { status, log } = flakeCheck(dir, branch);
    expect(status).not.toBe(0);
    expect(log).toContain("admins[0].sshKeys in nixos-stack.json is empty");
    expect(log).toContain("Neither the root account nor any wheel user has a password or SSH authorized key.");
  });

  it("gives each profile's groups to the primary user", () => {
    const { dir } = gitRepo(renderStack(fleetStack({ nixpkgsBranch: branch })));
    const groups = (t: string) => nixEval(dir, branch, `nixosConfigurations.${t}`, ACCESS).groups;
    expect(groups("lab-server")).toEqual(["wheel"]);
    expect(groups("dev-workstation")).toEqual(expect.arrayContaining(["wheel", "networkmanager", "audio", "video"]));
    expect(groups("media-center")).toEqual(expect.arrayContaining(["wheel", "video", "render", "audio"]));
    expect(nixEval(dir, branch, "nixosConfigurations.dev-workstation.config.networking.networkmanager.enable", "x: x")).toBe(true);
  });

  it("enables zsh system-wide for a zsh user; without it upstream's shell assertion fails", () => {
    const { dir } = gitRepo(renderStack(fleetStack({ nixpkgsBranch: branch, shell: "zsh" })));
    expect(nixEval(dir, branch, "nixosConfigurations.lab-server.config.programs.zsh.enable", "x: x")).toBe(true);
    const broken = gitRepo(renderStack(fleetStack({ nixpkgsBranch: branch, shell: "zsh" })), plant("lab-server", "  programs.zsh.enable = lib.mkForce false;"));
    const { status, log } = flakeCheck(broken.dir, branch);
    expect(status).not.toBe(0);
    expect(log).toContain("users.users.admin.shell is set to zsh");
  });

  it("records the commit in system.configurationRevision: git's, or the one deploy.sh wrote to .nixos-stack/revision", () => {
    const { dir, rev } = gitRepo(renderStack(fleetStack({ nixpkgsBranch: branch })));
    const recorded = nixEval(dir, branch, "nixosConfigurations.media-center", ACCESS).rev;
    // Nix 2.8 drops self.rev when --override-input changes the lock: then null, never another value
    expect([rev, null]).toContain(recorded);
    const copied = gitRepo(renderStack(fleetStack({ nixpkgsBranch: branch })), (d) => writeFileSync(join(d, ".nixos-stack/revision"), "0123456789abcdef0123456789abcdef01234567-dirty\n"));
    const got = nixEval(copied.dir, branch, "nixosConfigurations.media-center", ACCESS).rev;
    expect([copied.rev, "0123456789abcdef0123456789abcdef01234567-dirty"]).toContain(got);
    expect(got).not.toBeNull();
  });

  it("uses the placeholder root file system until hardware-configuration.nix exists, then the real one", () => {
    const fresh = gitRepo(renderStack(fleetStack({ nixpkgsBranch: branch })));
    expect(nixEval(fresh.dir, branch, "nixosConfigurations.lab-server", ACCESS).root).toBe("/dev/disk/by-label/nixos");
    const withHardware = gitRepo(renderStack(fleetStack({ nixpkgsBranch: branch })), (dir) =>
      writeFileSync(
        join(dir, "targets/lab-server/hardware-configuration.nix"),
        '{ ... }:\n{\n  fileSystems."/" = { device = "/dev/disk/by-uuid/1234-abcd"; fsType = "ext4"; };\n  fileSystems."/boot" = { device = "/dev/disk/by-uuid/ABCD-1234"; fsType = "vfat"; };\n}\n',
      ),
    );
    expect(nixEval(withHardware.dir, branch, "nixosConfigurations.lab-server", ACCESS).root).toBe("/dev/disk/by-uuid/1234-abcd");
    const { status, log } = flakeCheck(withHardware.dir, branch);
    expect(log).not.toMatch(/error/);
    expect(status).toBe(0);
  });

  it("deploy-rs: one node per target with magic and auto rollback, its deployChecks in checks, the pinned CLI in packages", () => {
    const { dir } = gitRepo(renderStack(fleetStack({ nixpkgsBranch: branch, deployer: "deploy-rs" })));
    const { status, log } = flakeCheck(dir, branch);
    expect(log).not.toMatch(/error/);
    expect(status).toBe(0);
    const node = nixEval(dir, branch, "deploy.nodes.dev-workstation", "n: { inherit (n) hostname sshUser user sshOpts magicRollback autoRollback; }");
    expect(node).toEqual({ hostname: "dev-workstation.local", sshUser: "admin", user: "root", sshOpts: ["-p", "22"], magicRollback: true, autoRollback: true });
    expect(nixEval(dir, branch, "checks.x86_64-linux", "builtins.attrNames")).toEqual(expect.arrayContaining(["deploy-schema", "lab-server"]));
    expect(nixEval(dir, branch, "packages.x86_64-linux", "builtins.attrNames")).toContain("deploy-rs");
  });

  it("colmena: a hive whose nodes carry the manifest's address, user, port and tags", () => {
    const { dir } = gitRepo(renderStack(fleetStack({ nixpkgsBranch: branch, deployer: "colmena", targets: [{ name: "lab-server", profile: "server", tags: ["lab", "always-on"], address: "127.0.0.1", port: 2201 }] })));
    const { status, log } = flakeCheck(dir, branch);
    expect(log).not.toMatch(/error/);
    expect(status).toBe(0);
    expect(nixEval(dir, branch, "colmenaHive.deploymentConfig.lab-server", "x: x")).toEqual({ targetHost: "127.0.0.1", targetUser: "admin", targetPort: 2201, tags: ["lab", "always-on"] });
    expect(nixEval(dir, branch, "packages.x86_64-linux", "builtins.attrNames")).toContain("colmena");
  });
});
