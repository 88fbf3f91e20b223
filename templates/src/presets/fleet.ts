import { DEFAULTS, type NixpkgsBranch, type StackInput } from "@nixos-stack/core";
import type { FleetTargetAnswer, PresetAnswers } from "./vps.js";

/** The three machines of `--yes`: a lab server, a workstation and a media box, by their mDNS names. */
export const DEFAULT_FLEET_TARGETS: readonly FleetTargetAnswer[] = [
  { name: "lab-server", profile: "server", tags: ["lab"], address: "lab-server.local" },
  { name: "dev-workstation", profile: "workstation", tags: ["dev"], address: "dev-workstation.local" },
  { name: "media-center", profile: "media", tags: ["media"], address: "media-center.local" },
];

/**
 * A LAN fleet: several NixOS machines deployed over SSH from any clone, no central server.
 * Each target logs in as the primary user (admins[0]) and activates through sudo, since
 * targets/common/base.nix turns root login off. Answers left open are left out: the schema fills in its defaults.
 */
export function fleetPreset(a: PresetAnswers): StackInput {
  const user = a.admin ?? DEFAULTS.adminName;
  const targets = a.targets?.length ? a.targets : DEFAULT_FLEET_TARGETS;
  return {
    name: a.name,
    description: "A LAN fleet of NixOS machines, deployed over SSH from any clone",
    ...(a.nixpkgsBranch ? { nixpkgs: { branch: a.nixpkgsBranch as NixpkgsBranch } } : {}),
    ...(a.timeZone ? { timeZone: a.timeZone } : {}),
    ...(a.locale ? { locale: a.locale } : {}),
    admins: [
      {
        name: user,
        sshKeys: a.sshKeys ?? [],
        ...(a.userDescription ? { description: a.userDescription } : {}),
        ...(a.userGroups?.length ? { extraGroups: a.userGroups } : {}),
        ...(a.shell ? { shell: a.shell } : {}),
      },
    ],
    ...(a.deployer ? { deployer: a.deployer } : {}),
    ...(a.sudo ? { sudo: a.sudo } : {}),
    hosts: targets.map((t) => ({
      name: t.name,
      ...(t.system ? { system: t.system } : {}),
      profile: t.profile ?? "server",
      deploy: {
        ...(t.address ? { address: t.address } : {}),
        // 22 on a LAN (the VPS preset's non-standard port is against internet-wide scans)
        sshPort: t.port ?? a.sshPort ?? 22,
        user: t.user ?? user,
      },
      ...(t.tags?.length ? { tags: t.tags } : {}),
    })),
  };
}
