import type { Feature } from "@nixos-stack/core";

/**
 * A NixOS VM test per host (`checks.<system>.vm-<host>`, built by `nix flake check` where KVM is):
 * checks/vm-tests.nix boots each host's configuration in QEMU and waits for what the host's
 * modules list in `stack.vmTest` (modules/lib/vm-test-expectations.nix), each service module
 * beside the unit it defines.
 */
export const vmTestsFeature: Feature = {
  id: "vm-tests",
  applies: () => true,
  files: () => [
    { path: "checks/vm-tests.nix", template: "checks/vm-tests.nix", ownership: "managed" },
    { path: "modules/lib/vm-test-expectations.nix", template: "modules/lib/vm-test-expectations.nix", ownership: "managed" },
  ],
};
