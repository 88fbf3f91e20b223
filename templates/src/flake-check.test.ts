/**
 * `nix flake check` for real (Debian's Nix 2.8) on generated repos, offline: nixpkgs, disko and
 * home-manager are the stand-ins of test-fixtures/stub-inputs. nixpkgs' `lib` is the real one,
 * and `lib.nixosSystem` runs the real module system over the option surface of a branch, so
 * every option a host defines must be declared there with its upstream type, every assertion
 * (ours and upstream's) holds, and every defined value is forced. Each preset/variant is
 * evaluated against the default stable branch and nixos-unstable. What it cannot prove: package
 * builds and build-time checks (sshd -T, nix.conf), since every package is a fake.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderStack } from "./index.js";
import { offlineFlakeCheck, offlineInputOverrides, overrideInputArgs, STUB_INPUTS, SURFACE_BRANCHES, type SurfaceBranch } from "./test-support/offline-inputs.js";
import { vpsStack, writeTree } from "./test-support/render-to-disk.js";

const offline = offlineFlakeCheck();
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const PLACEHOLDER_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGZlZWRmYWNlZmVlZGZhY2VmZWVkZmFjZWZlZWRmYWNl";

function gitRepo(tree: ReturnType<typeof renderStack>, edit?: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), "nixos-stack-flake-"));
  dirs.push(dir);
  writeTree(tree, dir);
  edit?.(dir);
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd: dir });
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "generated");
  return dir;
}

/** Adds lines to the top of a host's own configuration.nix (the user's file), with `lib` in scope. */
function plant(host: string, lines: string) {
  return (dir: string) => {
    const file = join(dir, "hosts", host, "configuration.nix");
    const source = readFileSync(file, "utf8").replace("{ pkgs, ... }:\n{\n", `{ pkgs, lib, ... }:\n{\n${lines}\n`);
    if (!source.includes(lines)) throw new Error(`could not plant into ${file}`);
    writeFileSync(file, source);
  };
}

function flakeCheck(dir: string, branch: SurfaceBranch) {
  if (!offline.ok) throw new Error(offline.reason);
  const r = spawnSync(
    "nix",
    [
      "--extra-experimental-features", "nix-command flakes",
      "flake", "check", "-v", "--no-build", "--keep-going", "--no-write-lock-file",
      ...overrideInputArgs(offlineInputOverrides(branch, offline.path)),
    ],
    { cwd: dir, encoding: "utf8" },
  );
  return { status: r.status, log: r.stderr };
}

const [STABLE, UNSTABLE] = SURFACE_BRANCHES;
const evaluated = (file: string) => new RegExp(`evaluating file '/nix/store/[^']*-source/${file.replace(/\./g, "\\.")}'`);

describe("the offline flake check", () => {
  it.runIf(!offline.ok && Boolean(process.env.CI))("runs in CI: nix and the nixpkgs lib are there", () => {
    expect.fail(offline.ok ? "" : offline.reason);
  });

  it.each(SURFACE_BRANCHES)("has an option surface for %s (a new default release needs its surface first)", (branch) => {
    expect(existsSync(join(STUB_INPUTS, "nixpkgs/releases", branch, "default.nix"))).toBe(true);
    expect(existsSync(join(STUB_INPUTS, "nixpkgs/option-surface", `${branch}.nix`))).toBe(true);
  });
});

describe.runIf(offline.ok).each(SURFACE_BRANCHES)("nix flake check against the %s option surface", (branch) => {
  it("passes for the VPS preset, evaluating every host's modules with the real module system", () => {
    const { status, log } = flakeCheck(gitRepo(renderStack(vpsStack({ nixpkgsBranch: branch }))), branch);
    expect(log).not.toMatch(/error/);
    expect(status).toBe(0);
    expect(log).toMatch(evaluated(`option-surface/${branch}.nix`));
    for (const file of ["hosts/vps-x86/default.nix", "hosts/vps-arm/default.nix", "modules/system.nix", "modules/security.nix", "modules/disk.nix", "modules/profiles/vps.nix", "modules/services/gateway.nix", "hosts/vps-x86/configuration.nix"]) {
      expect(log).toMatch(evaluated(file));
    }
  });

  it("passes without the gateway", () => {
    const { status, log } = flakeCheck(gitRepo(renderStack(vpsStack({ nixpkgsBranch: branch, gateway: false }))), branch);
    expect(log).not.toMatch(/error/);
    expect(status).toBe(0);
    expect(log).not.toContain("modules/services/gateway.nix");
  });

  it("fails on a misspelt option, naming it", () => {
    const dir = gitRepo(renderStack(vpsStack()), plant("vps-x86", "  services.openssh.setings.PasswordAuthentication = true;"));
    const { status, log } = flakeCheck(dir, branch);
    expect(status).not.toBe(0);
    expect(log).toContain("The option `services.openssh.setings' does not exist.");
  });

  it("fails on a string where upstream wants a port, naming the option", () => {
    const dir = gitRepo(renderStack(vpsStack()), plant("vps-x86", '  services.openssh.ports = [ "2200" ];'));
    const { status, log } = flakeCheck(dir, branch);
    expect(status).not.toBe(0);
    expect(log).toMatch(/A definition for option `services\.openssh\.ports\."\[definition \d+-entry 1\]"' is not of type `16 bit unsigned integer/);
  });

  it("fails on a wrong type in a value nothing else reads (every defined value is forced)", () => {
    const dir = gitRepo(renderStack(vpsStack()), plant("vps-x86", "  home-manager.users.gateway.systemd.user.services.gateway.Service.Nice = { level = 5; };"));
    const { status, log } = flakeCheck(dir, branch);
    expect(status).not.toBe(0);
    expect(log).toContain("A definition for option `home-manager.users.gateway.systemd.user.services.gateway.Service.Nice' is not of type");
  });

  it("fails our assertion when an admin key is the published placeholder key, whatever its comment", () => {
    const dir = gitRepo(renderStack(vpsStack()), plant("vps-x86", `  stack.admins.admin.sshKeys = [ "${PLACEHOLDER_KEY} someone@else" ];`));
    const { status, log } = flakeCheck(dir, branch);
    expect(status).not.toBe(0);
    expect(log).toContain("- stack.admins.admin.sshKeys: the example placeholder key");
    expect(log).toContain("Replace it with your own public key");
  });

  it("fails our assertion and upstream's lock-out assertion when no admin has a key", () => {
    const dir = gitRepo(renderStack(vpsStack()), plant("vps-x86", "  stack.admins = lib.mkForce { };"));
    const { status, log } = flakeCheck(dir, branch);
    expect(status).not.toBe(0);
    expect(log).toContain("- stack.admins has no SSH public key, so nobody could log in");
    expect(log).toContain("Neither the root account nor any wheel user has a password or SSH authorized key.");
  });

  it("fails upstream's root file system and GRUB assertions when disko's config is off", () => {
    const dir = gitRepo(renderStack(vpsStack()), plant("vps-x86", "  disko.enableConfig = false;"));
    const { status, log } = flakeCheck(dir, branch);
    expect(status).not.toBe(0);
    expect(log).toContain("The ‘fileSystems’ option does not specify your root file system.");
    expect(log).toContain("You must set the option ‘boot.loader.grub.devices’");
  });
});

describe.runIf(offline.ok)("what the hosts' configurations evaluate to", () => {
  const nixEval = (dir: string, branch: SurfaceBranch, attr: string, apply: string) => {
    if (!offline.ok) throw new Error(offline.reason);
    const out = execFileSync(
      "nix",
      [
        "--extra-experimental-features", "nix-command flakes",
        "eval", "--json", "--no-write-lock-file", `.#${attr}`, "--apply", apply,
        ...overrideInputArgs(offlineInputOverrides(branch, offline.path)),
      ],
      { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );
    return JSON.parse(out);
  };
  const valuesOf = (branch: SurfaceBranch) => {
    const dir = gitRepo(renderStack(vpsStack({ nixpkgsBranch: branch })));
    // unstable still declares the removed extraConfig, whose value throws: ask whether it is defined
    const apply = `host: let c = host.config; journald = host.options.services.journald; in {
      journal = {
        extraConfig = if journald.extraConfig.isDefined then c.services.journald.extraConfig else null;
        settings = c.services.journald.settings.Journal or null;
      };
      grub = { inherit (c.boot.loader.grub) configurationLimit devices; };
      root = { inherit (c.fileSystems."/") device fsType; };
      tcp = c.networking.firewall.allowedTCPPorts;
    }`;
    return nixEval(dir, branch, "nixosConfigurations.vps-x86", apply);
  };

  it("offers the formatter, deploy tools and devShell to Linux and Apple silicon only (nixpkgs 26.11 drops x86_64-darwin)", () => {
    const dir = gitRepo(renderStack(vpsStack()));
    expect(nixEval(dir, STABLE, "formatter", "builtins.attrNames")).toEqual(["aarch64-darwin", "aarch64-linux", "x86_64-linux"]);
  });

  it(`caps the journal with extraConfig on ${STABLE} and with settings.Journal on ${UNSTABLE}`, () => {
    expect(valuesOf(STABLE).journal).toEqual({ extraConfig: "SystemMaxUse=500M", settings: null });
    // Audit: upstream's own mkOptionDefault "keep" (journald.nix on unstable)
    expect(valuesOf(UNSTABLE).journal).toEqual({ extraConfig: null, settings: { SystemMaxUse: "500M", Audit: "keep" } });
  });

  it("keeps 10 generations in the GRUB menu, on the disk disko partitions, with its root and the SSH and TLS ports open", () => {
    expect(valuesOf(STABLE)).toMatchObject({
      grub: { configurationLimit: 10, devices: ["/dev/sda"] },
      root: { device: "/dev/disk/by-partlabel/disk-main-root", fsType: "ext4" },
      tcp: [443, 2222],
    });
  });
});

describe.runIf(offline.ok)("options that exist on one branch only", () => {
  it(`services.journald.extraConfig fails on ${UNSTABLE}, naming the option and its replacement`, () => {
    const dir = gitRepo(renderStack(vpsStack()), plant("vps-x86", '  services.journald.extraConfig = "Storage=volatile";'));
    const { status, log } = flakeCheck(dir, UNSTABLE);
    expect(status).not.toBe(0);
    expect(log).toMatch(/The option definition `services\.journald\.extraConfig' in `[^']*hosts\/vps-x86\/configuration\.nix' no longer has any effect/);
    expect(log).toContain("Use services.journald.settings.Journal instead.");
    expect(flakeCheck(dir, STABLE).status).toBe(0);
  });

  it(`services.journald.settings fails on ${STABLE}, naming the option`, () => {
    const dir = gitRepo(renderStack(vpsStack()), plant("vps-x86", '  services.journald.settings.Journal.Storage = "volatile";'));
    const { status, log } = flakeCheck(dir, STABLE);
    expect(status).not.toBe(0);
    expect(log).toContain("The option `services.journald.settings' does not exist.");
    expect(flakeCheck(dir, UNSTABLE).status).toBe(0);
  });

  it(`a home-manager stateVersion of 26.11 fails on ${STABLE} (release-26.05 does not know it)`, () => {
    const dir = gitRepo(renderStack(vpsStack()), plant("vps-x86", '  system.stateVersion = lib.mkForce "26.11";'));
    const { status, log } = flakeCheck(dir, STABLE);
    expect(status).not.toBe(0);
    expect(log).toMatch(/A definition for option `home-manager\.users\.gateway\.home\.stateVersion' is not of type `one of [^']*"26\.05"'/);
    expect(flakeCheck(dir, UNSTABLE).status).toBe(0);
  });
});

describe.runIf(offline.ok)("files the flake reads", () => {
  it("picks up hardware-configuration.nix once bootstrap.sh has written it", () => {
    const dir = gitRepo(renderStack(vpsStack()), (d) => writeFileSync(join(d, "hosts/vps-x86/hardware-configuration.nix"), "{ ... }: { }\n"));
    const { status, log } = flakeCheck(dir, STABLE);
    expect(status).toBe(0);
    expect(log).toMatch(/evaluating file '[^']*hosts\/vps-x86\/hardware-configuration\.nix'/);
  });

  it("fails, naming the file, when a module the host imports is missing", () => {
    const dir = gitRepo(renderStack(vpsStack()), (d) => rmSync(join(d, "modules/disk.nix")));
    const { status, log } = flakeCheck(dir, STABLE);
    expect(status).not.toBe(0);
    expect(log).toMatch(/modules\/disk\.nix': No such file or directory/);
  });
});
