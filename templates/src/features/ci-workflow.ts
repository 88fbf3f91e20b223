import type { Feature, Stack } from "@nixos-stack/core";

/**
 * `.github/workflows/check.yml`: the repo's `nix flake check` on GitHub Actions, and a job per
 * host (by name, from the manifest) that evaluates its whole system. Managed: a new host appears
 * in the list at the next sync. `ci.github: false` in the manifest leaves it out (and a sync
 * removes the one it wrote, unless edited).
 */
export const ciWorkflowFeature: Feature = {
  id: "ci-workflow",
  applies: (stack) => stack.ci.github,
  files: (stack: Stack) => [
    {
      path: ".github/workflows/check.yml",
      template: "ci/check.yml",
      ownership: "managed",
      context: { ci: { hosts: stack.hosts.map((h) => h.name), deployChecks: stack.deployer === "deploy-rs" } },
    },
  ],
};
