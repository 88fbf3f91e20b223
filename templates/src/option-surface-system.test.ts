/**
 * The upstream assertions and derived values the audit of the system/base part of the option
 * surface added (option-surface/README.md, issue 14 part 3), each tripped on a minimal NixOS
 * configuration of each branch's surface (the stand-in's lib.nixosSystem: the real module
 * system). The messages are upstream's; what a generated host plants is in
 * option-surface-system.flake-check.test.ts.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { offlineFlakeCheck, STUB_INPUTS, SURFACE_BRANCHES } from "./test-support/offline-inputs.js";

const offline = offlineFlakeCheck();

/** A bootable minimal system, which each case extends. */
const BASE = `{ nixpkgs.hostPlatform = "x86_64-linux"; system.stateVersion = "26.05"; fileSystems."/" = { device = "/dev/sda1"; fsType = "ext4"; }; boot.loader.grub.devices = [ "/dev/sda" ]; }`;

function evaluate(branch: string, module: string, apply = "c: c.system.build.toplevel.drvPath"): { ok: boolean; out: string } {
  if (!offline.ok) throw new Error(offline.reason);
  const expr = `let lib = import ${offline.path}/lib; sys = import ${join(STUB_INPUTS, "nixpkgs/nixos-system.nix")} { inherit lib; branch = "${branch}"; } { modules = [ ${BASE} ({ lib, pkgs, ... }: ${module}) ]; }; in (${apply}) sys.config`;
  const r = spawnSync("nix-instantiate", ["--eval", "--strict", "--json", "-E", expr], { encoding: "utf8" });
  return { ok: r.status === 0, out: r.status === 0 ? r.stdout : r.stderr };
}

const fails = (branch: string, module: string) => {
  const r = evaluate(branch, module);
  expect(r.ok, "the system should not evaluate").toBe(false);
  return r.out;
};

describe.runIf(offline.ok).each(SURFACE_BRANCHES)("the system/base surface of %s", (branch) => {
  it("evaluates the minimal system (so each failure below is the planted value's)", () => {
    expect(evaluate(branch, "{ }").ok).toBe(true);
  });

  it("file systems: label and device must agree, every mount needs a device, a special fsType is its own device", () => {
    expect(fails(branch, `{ fileSystems."/data" = { label = "data"; device = "/dev/sdb1"; fsType = "ext4"; }; }`)).toContain("has its label and device set to inconsistent values");
    expect(fails(branch, `{ fileSystems."/data".fsType = "ext4"; }`)).toContain("No device specified for mount point ‘/data’.");
    const r = evaluate(branch, `{ fileSystems."/tmp".fsType = "tmpfs"; fileSystems."/srv" = { label = "my data"; fsType = "ext4"; }; }`, `c: [ c.fileSystems."/tmp".device c.fileSystems."/srv".device ]`);
    expect(JSON.parse(r.out)).toEqual(["tmpfs", "/dev/disk/by-label/my\\040data"]);
  });

  it("boot loaders: GRUB's EFI path and systemd-boot's ESP must be absolute; systemd-boot turns GRUB off", () => {
    expect(fails(branch, `{ boot.loader.grub.mirroredBoots = [ { devices = [ "/dev/sdb" ]; path = "/boot2"; efiSysMountPoint = "boot2/efi"; } ]; }`)).toContain("EFI paths must be absolute, not boot2/efi");
    expect(fails(branch, `{ boot.loader.systemd-boot.enable = true; boot.loader.efi.efiSysMountPoint = "efi"; }`)).toContain("The ESP mount point 'efi' must be an absolute path");
    const r = evaluate(branch, `{ boot.loader.systemd-boot.enable = true; }`, "c: [ c.boot.loader.grub.enable c.system.build.installBootLoader ]");
    expect(JSON.parse(r.out)).toEqual([false, "install-systemd-boot.sh (stand-in)"]);
  });

  it("system.build: each attribute is defined once (read, as upstream's are by whatever builds them)", () => {
    const r = evaluate(branch, `{ system.build.extra = "a"; imports = [ { system.build.extra = "b"; } ]; }`, "c: c.system.build.extra");
    expect(r.ok).toBe(false);
    expect(r.out).toMatch(/system\.build\.extra' is defined multiple times while it's expected to be unique/);
  });

  it("users: unique uids, no ':' in a hash (its passwdEntry type refuses it before the assertion can), no null shell with immutable users", () => {
    const user = `isSystemUser = true; group = "nogroup";`;
    expect(fails(branch, `{ users.users.a = { ${user} uid = 400; }; users.users.b = { ${user} uid = 400; }; }`)).toContain("UIDs and GIDs must be unique!");
    expect(fails(branch, `{ users.users.a = { ${user} hashedPassword = "$y$a:b"; }; }`)).toContain("`users.users.a.hashedPassword' is not of type `null or (string, not containing newlines or colons)'");
    const immutable = `users.mutableUsers = false; users.users.root.openssh.authorizedKeys.keys = [ "ssh-ed25519 AAAA k" ];`;
    expect(fails(branch, `{ ${immutable} users.users.a = { ${user} shell = null; }; }`)).toContain("Misconfigured users: a");
    expect(evaluate(branch, `{ ${immutable} users.users.a = { ${user} }; }`).ok).toBe(true);
  });

  it("swap: a randomly encrypted device may not be named by label or uuid", () => {
    expect(fails(branch, `{ swapDevices = [ { label = "swap"; randomEncryption.enable = true; } ]; }`)).toContain(`You cannot use swap device "/dev/disk/by-label/swap" with randomEncryption enabled.`);
    expect(evaluate(branch, `{ swapDevices = [ { label = "swap"; randomEncryption = false; } ]; }`).ok).toBe(true);
  });

  it("SSH: known hosts need a host name, listen addresses an address; sshd has its own account", () => {
    expect(fails(branch, `{ programs.ssh.knownHosts.a = { hostNames = [ ]; publicKey = "ssh-ed25519 AAAA"; }; }`)).toContain("programs.ssh.knownHosts.a.hostNames is empty");
    expect(fails(branch, `{ services.openssh.enable = true; services.openssh.listenAddresses = [ { port = 22; } ]; }`)).toContain("addr must be specified in each listenAddresses entry");
    // a declared key written in another case is the duplicate upstream reports
    expect(fails(branch, `{ services.openssh.enable = true; services.openssh.settings.usePAM = false; }`)).toContain("Duplicate sshd config key; does your capitalization match the option's? Duplicate keys: (UsePAM, usePAM)");
    const r = evaluate(branch, `{ services.openssh.enable = true; }`, "c: { inherit (c.users.users.sshd) isSystemUser group; group' = c.users.groups ? sshd; }");
    expect(JSON.parse(r.out)).toEqual({ isSystemUser: true, group: "sshd", "group'": true });
  });

  it("NAT turns IPv4 forwarding on over a plain definition; per-interface firewall ports are canonical", () => {
    const r = evaluate(
      branch,
      `{ networking.nat.enable = true; boot.kernel.sysctl."net.ipv4.conf.all.forwarding" = false; networking.firewall.interfaces.eth1.allowedUDPPorts = [ 53 53 51820 ]; }`,
      `c: [ c.boot.kernel.sysctl."net.ipv4.conf.all.forwarding" c.networking.firewall.interfaces.eth1.allowedUDPPorts ]`,
    );
    expect(JSON.parse(r.out)).toEqual([true, [53, 51820]]);
  });

  it("a declarative container is an nspawn container, and so a container (no GRUB, no initrd)", () => {
    const r = evaluate(
      branch,
      `{ containers.db = { privateNetwork = true; hostAddress = "10.1.0.1"; localAddress = "10.1.0.2"; config = { system.stateVersion = "26.05"; }; }; }`,
      `c: with c.containers.db.config.boot; [ isNspawnContainer isContainer loader.grub.enable initrd.enable ]`,
    );
    expect(JSON.parse(r.out)).toEqual([true, true, false, false]);
  });
});
