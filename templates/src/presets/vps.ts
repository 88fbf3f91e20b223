import { DEFAULTS, type NixpkgsBranch, type StackInput } from "@nixos-stack/core";

/** The answers a preset turns into a manifest; every one has a flag, and the schema (or DEFAULTS) a default. */
export interface PresetAnswers {
  name: string;
  admin?: string;
  sshKeys?: string[];
  sshPort?: number;
  timeZone?: string;
  locale?: string;
  nixpkgsBranch?: string;
  disk?: string;
  address?: string;
  gateway?: boolean;
  /** fleet: the primary user's details (admins[0]) */
  userDescription?: string;
  userGroups?: string[];
  shell?: "bash" | "zsh" | "fish";
  sudo?: "password" | "nopasswd";
  deployer?: "nixos-rebuild" | "deploy-rs" | "colmena";
  /** fleet: the targets; left out, the three of the LAN example */
  targets?: FleetTargetAnswer[];
}

/** One fleet target as given by `--target name=…,profile=…,…` or the prompts. */
export interface FleetTargetAnswer {
  name: string;
  system?: "x86_64-linux" | "aarch64-linux";
  address?: string;
  profile?: "server" | "workstation" | "media";
  tags?: string[];
  user?: string;
  port?: number;
}

/**
 * A reproducible VPS: one host per architecture (x86_64 and aarch64, so the same
 * repo serves either kind of cloud server), disko layout, hardened SSH on a
 * non-standard port, and a gateway user service run by home-manager.
 * Answers left open are left out: the schema fills in its defaults.
 */
export function vpsPreset(a: PresetAnswers): StackInput {
  const host = (name: string, system: "x86_64-linux" | "aarch64-linux") => ({
    name,
    system,
    profile: "vps" as const,
    deploy: { ...(a.address ? { address: a.address } : {}), ...(a.sshPort !== undefined ? { sshPort: a.sshPort } : {}) },
    disk: a.disk ? { device: a.disk } : {},
    services: a.gateway === false ? [] : [{ kind: "gateway" as const }],
  });
  return {
    name: a.name,
    description: "A reproducible VPS: disko, hardened SSH, a home-manager user service",
    // a typed answer, checked against the supported branches when the manifest is validated
    ...(a.nixpkgsBranch ? { nixpkgs: { branch: a.nixpkgsBranch as NixpkgsBranch } } : {}),
    ...(a.timeZone ? { timeZone: a.timeZone } : {}),
    ...(a.locale ? { locale: a.locale } : {}),
    admins: [{ name: a.admin ?? DEFAULTS.adminName, sshKeys: a.sshKeys ?? [] }],
    hosts: [host("vps-x86", "x86_64-linux"), host("vps-arm", "aarch64-linux")],
  };
}
