import type { Feature, Stack } from "@nixos-stack/core";

/** True when a host is a cloud VPS (disko layout, installed by bootstrap.sh, updated by update.sh). */
export function hasVpsHosts(stack: Stack): boolean {
  return stack.hosts.some((h) => h.profile === "vps");
}

/** A cloud VPS: disko hybrid BIOS+EFI layout and the QEMU guest profile. */
export const vpsProfileFeature: Feature = {
  id: "vps-profile",
  applies: hasVpsHosts,
  files: () => [
    { path: "modules/disk.nix", template: "modules/disk.nix", ownership: "managed" },
    { path: "modules/profiles/vps.nix", template: "profiles/vps.nix", ownership: "managed" },
  ],
};
