/**
 * A VPS host's update path, evaluated (the real module system over the option surface):
 * - deploy.autoUpgrade: a host built elsewhere (update.sh --build-on local) can turn off the
 *   daily rebuild on itself, which would compile on a small server and replace the pushed system;
 * - nix.settings.trusted-users: `update.sh --user <admin>` with a local build copies the system
 *   with nix-copy-closure as that admin (nixos-rebuild-ng's --sudo covers only activation), and
 *   the daemon refuses unsigned paths from a user it does not trust.
 */
import { afterAll, describe, expect, it } from "vitest";
import { validateStack } from "@nixos-stack/core";
import { evalHost, FlakeRepos, offline } from "./test-support/flake-repo.js";
import { SURFACE_BRANCHES } from "./test-support/offline-inputs.js";
import { vpsInput } from "./test-support/deploy-repo.js";

const repos = new FlakeRepos("vps-host");
afterAll(() => repos.cleanup());

function stack(autoUpgrade?: boolean) {
  const input = vpsInput();
  if (autoUpgrade !== undefined) for (const h of input.hosts as Array<{ deploy?: Record<string, unknown> }>) h.deploy = { ...h.deploy, autoUpgrade };
  const r = validateStack(input);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.stack;
}

const VALUES = `h: {
  autoUpgrade = h.config.system.autoUpgrade.enable;
  upgradeUnit = h.config.systemd.services ? nixos-upgrade;
  trusted = h.config.nix.settings.trusted-users;
  admins = builtins.mapAttrs (_: u: u.extraGroups) (builtins.intersectAttrs h.config.stack.admins h.config.users.users);
  wheelNeedsPassword = h.config.security.sudo.wheelNeedsPassword;
}`;

describe("deploy.autoUpgrade in the manifest", () => {
  it("defaults to true and takes only a boolean", () => {
    expect(stack().hosts.every((h) => h.deploy.autoUpgrade === true)).toBe(true);
    const input = vpsInput();
    (input.hosts as Array<{ deploy?: Record<string, unknown> }>)[0]!.deploy = { autoUpgrade: "no" };
    const r = validateStack(input);
    expect(r.ok).toBe(false);
  });
});

describe.runIf(offline.ok).each(SURFACE_BRANCHES)("a VPS host on %s", (branch) => {
  it("upgrades itself daily by default; the admins (wheel, passwordless sudo: root already) are trusted by the Nix daemon, so a local build copied as one is accepted", () => {
    const got = evalHost(repos.create(stack()), branch, "vps-x86", VALUES);
    expect(got.autoUpgrade).toBe(true);
    expect(got.upgradeUnit).toBe(true);
    expect(got.trusted).toEqual(expect.arrayContaining(["root", "@wheel"]));
    expect(Object.values(got.admins).length).toBeGreaterThan(0);
    for (const groups of Object.values(got.admins)) expect(groups).toContain("wheel");
    // trusting wheel grants nothing new only while wheel's sudo needs no password
    expect(got.wheelNeedsPassword).toBe(false);
  }, 120_000);

  it("deploy.autoUpgrade false: no daily rebuild on the host (no nixos-upgrade unit)", () => {
    const got = evalHost(repos.create(stack(false)), branch, "vps-x86", VALUES);
    expect(got.autoUpgrade).toBe(false);
    expect(got.upgradeUnit).toBe(false);
  }, 120_000);
});
