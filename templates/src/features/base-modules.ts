import type { Feature } from "@nixos-stack/core";
import { isFleetTarget } from "./fleet-targets.js";

/** Modules every host imports: identity, users, Nix settings, SSH and firewall hardening. They hold no user values. */
export const baseModulesFeature: Feature = {
  id: "base-modules",
  applies: (stack) => stack.hosts.some((host) => !isFleetTarget(host)),
  files: () => [
    { path: "modules/system.nix", template: "modules/system.nix", ownership: "managed" },
    { path: "modules/security.nix", template: "modules/security.nix", ownership: "managed" },
  ],
};
