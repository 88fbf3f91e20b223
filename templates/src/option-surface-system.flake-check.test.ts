/**
 * The classes of mistake the audit of the system/base part of the option surface found (issue 14,
 * part 3; option-surface/README.md), planted in generated hosts: each is what upstream nixpkgs
 * refuses, so the offline flake check must fail and name the option. And the upstream forms the
 * surface now accepts as upstream does.
 * - users.users.<name>.description is `passwdEntry str`: a ':' (the schema refuses it in
 *   admins[].description since the audit; schema.test.ts)
 * - boot.kernel.sysctl."net.core.rmem_max" is `nullOr ints.unsigned` (the schema refuses a string
 *   or a negative number in hosts[].tuning.sysctl since the audit)
 * - one boot loader only: system.build.installBootLoader is `types.unique`
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Stack } from "@nixos-stack/core";
import { evalHost, FlakeRepos, flakeCheck, offline, plant, type RepoEdit } from "./test-support/flake-repo.js";
import { SURFACE_BRANCHES } from "./test-support/offline-inputs.js";
import { fleetStack, vpsStack } from "./test-support/render-to-disk.js";

const repos = new FlakeRepos("surface-system");
afterAll(() => repos.cleanup());

const VPS_HOST = "vps-x86";
const FLEET_TARGET = "lab-server";

function admin(stack: Stack): string {
  const name = stack.admins[0]?.name;
  if (!name) throw new Error("the preset has no admin");
  return name;
}

/**
 * The fleet target's configuration.nix with GRUB switched on as its comment suggests for a BIOS
 * machine, but systemd-boot left on: the mistake the comment's "instead" warns of.
 */
function grubBesideSystemdBoot(target: string): RepoEdit {
  return (dir) => {
    const file = join(dir, "targets", target, "configuration.nix");
    const before = readFileSync(file, "utf8");
    const after = before.replace("  boot.loader.grub.enable = false;\n", '  boot.loader.grub.enable = true;\n  boot.loader.grub.device = "/dev/sda";\n');
    if (after === before) throw new Error(`no boot.loader.grub.enable = false in ${file}`);
    writeFileSync(file, after);
  };
}

/** The log of a check that must fail. */
function failure(dir: string, branch: (typeof SURFACE_BRANCHES)[number]): string {
  const { status, log } = flakeCheck(dir, branch);
  expect(status).not.toBe(0);
  return log;
}

describe.runIf(offline.ok).each(SURFACE_BRANCHES)("upstream's refusals, planted in a generated host (%s)", (branch) => {
  it("a ':' in a user's description (passwdEntry): fails naming users.users.<name>.description", () => {
    const stack = vpsStack({ nixpkgsBranch: branch });
    const log = failure(repos.create(stack, plant(VPS_HOST, `users.users.${admin(stack)}.description = "Alice: ops";`)), branch);
    expect(log).toContain(`users.users.${admin(stack)}.description`);
    expect(log).toMatch(/not of type `string, not containing newlines or colons'/);
  }, 120_000);

  it("a string for net.core.rmem_max (nullOr ints.unsigned): fails naming the sysctl", () => {
    const log = failure(repos.create(vpsStack({ nixpkgsBranch: branch }), plant(VPS_HOST, `boot.kernel.sysctl."net.core.rmem_max" = "16777216";`)), branch);
    expect(log).toContain(`boot.kernel.sysctl."net.core.rmem_max"`);
    expect(log).toMatch(/is not of type `null or \(unsigned integer, meaning >=0\)'/);
  }, 120_000);

  it("GRUB switched on in a fleet target with systemd-boot left on: fails, only one boot loader may install itself", () => {
    const log = failure(
      repos.create(fleetStack({ nixpkgsBranch: branch }), grubBesideSystemdBoot(FLEET_TARGET)),
      branch,
    );
    expect(log).toContain("system.build.installBootLoader");
    expect(log).toContain("Only one bootloader can be enabled at a time");
  }, 120_000);
});

describe.runIf(offline.ok).each(SURFACE_BRANCHES)("upstream's forms, accepted as upstream does (%s)", (branch) => {
  it("initrd modules as an attrset (attrNamesToTrue): one the qemu-guest profile adds can be turned off; the value is the sorted names", () => {
    const dir = repos.create(vpsStack({ nixpkgsBranch: branch }), plant(VPS_HOST, `boot.initrd.availableKernelModules.virtio_net = lib.mkForce false;\n  boot.initrd.kernelModules = [ "virtio_rng" ];`));
    expect(flakeCheck(dir, branch).status).toBe(0);
    const got = evalHost(dir, branch, VPS_HOST, "h: { available = h.config.boot.initrd.availableKernelModules; always = h.config.boot.initrd.kernelModules; }");
    expect(got.available).not.toContain("virtio_net");
    expect(got.available).toContain("virtio_pci");
    expect(got.available).toEqual([...got.available].sort());
    expect(got.always.filter((m: string) => m === "virtio_rng")).toEqual(["virtio_rng"]);
  }, 120_000);

  it("normal users and root get the default user shell (bashInteractive), a shell package", () => {
    const stack = vpsStack({ nixpkgsBranch: branch });
    const got = evalHost(repos.create(stack), branch, VPS_HOST, `h: { admin = h.config.users.users.${admin(stack)}.shell.shellPath; root = h.config.users.users.root.shell.name; }`);
    expect(got).toEqual({ admin: "/bin/bash", root: "bashInteractive" });
  }, 120_000);
});
