import type { StackInput } from "@nixos-stack/core";

/** The answers a preset turns into a manifest; every one has a flag and a default. */
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
}

/**
 * A reproducible VPS: one host per architecture (x86_64 and aarch64, so the same
 * repo serves either kind of cloud server), disko layout, hardened SSH on a
 * non-standard port, and a gateway user service run by home-manager.
 */
export function vpsPreset(a: PresetAnswers): StackInput {
  const host = (name: string, system: "x86_64-linux" | "aarch64-linux") => ({
    name,
    system,
    profile: "vps" as const,
    deploy: { ...(a.address ? { address: a.address } : {}), sshPort: a.sshPort ?? 2222 },
    disk: { device: a.disk ?? "/dev/sda" },
    services: a.gateway === false ? [] : [{ kind: "gateway" as const, name: "gateway", user: "gateway", port: 18789 }],
  });
  return {
    name: a.name,
    description: "A reproducible VPS: disko, hardened SSH, a home-manager user service",
    ...(a.nixpkgsBranch ? { nixpkgs: { branch: a.nixpkgsBranch } } : {}),
    ...(a.timeZone ? { timeZone: a.timeZone } : {}),
    ...(a.locale ? { locale: a.locale } : {}),
    admins: [{ name: a.admin ?? "admin", sshKeys: a.sshKeys ?? [] }],
    hosts: [host("vps-x86", "x86_64-linux"), host("vps-arm", "aarch64-linux")],
  };
}
