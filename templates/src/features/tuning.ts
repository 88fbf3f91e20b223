import type { Feature } from "@nixos-stack/core";

/** Kernel and system tuning (hosts[].tuning): sysctl values and open-file limits, and the performance doc. */
export const tuningFeature: Feature = {
  id: "tuning",
  applies: (stack) => stack.hosts.some((h) => h.tuning !== undefined),
  files: (stack) => [
    { path: "modules/tuning.nix", template: "modules/tuning.nix", ownership: "managed" },
    { path: "docs/performance-tuning.md", template: "docs/performance-tuning.md", ownership: "managed", context: { hosts: stack.hosts.filter((h) => h.tuning !== undefined) } },
  ],
};
