import type { Feature, Stack } from "@nixos-stack/core";

/**
 * Service kinds that run as NixOS system services and so import modules/lib/systemd-hardening.nix.
 * A new system-service kind adds its name here (the gateway is a home-manager user service).
 */
export const HARDENED_SERVICE_KINDS: readonly string[] = ["monitoring", "node-app", "web-app", "containers"];

export function usesSystemdHardening(stack: Stack): boolean {
  return stack.hosts.some((h) => h.services.some((s) => HARDENED_SERVICE_KINDS.includes(s.kind)));
}

/** The shared systemd sandbox, written once when any host runs a hardened system service. */
export const systemdHardeningFeature: Feature = {
  id: "systemd-hardening",
  applies: usesSystemdHardening,
  files: () => [{ path: "modules/lib/systemd-hardening.nix", template: "modules/lib/systemd-hardening.nix", ownership: "managed" }],
};
