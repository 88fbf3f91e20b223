import type { Feature } from "@nixos-stack/core";

/** A cloud VPS: disko hybrid BIOS+EFI layout and the QEMU guest profile. */
export const vpsProfileFeature: Feature = {
  id: "vps-profile",
  applies: (stack) => stack.hosts.some((h) => h.profile === "vps"),
  files: () => [
    { path: "modules/disk.nix", template: "modules/disk.nix", ownership: "managed" },
    { path: "modules/profiles/vps.nix", template: "profiles/vps.nix", ownership: "managed" },
  ],
};
