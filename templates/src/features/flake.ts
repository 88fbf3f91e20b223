import type { Feature } from "@nixos-stack/core";
import { flakeInputs } from "./context.js";

export const flakeFeature: Feature = {
  id: "flake",
  applies: () => true,
  files: (stack) => [
    {
      path: "flake.nix",
      template: "flake/flake.nix",
      ownership: "managed",
      context: {
        inputs: flakeInputs(stack),
        hosts: Object.fromEntries(stack.hosts.map((h) => [h.name, { system: h.system }])),
      },
    },
  ],
};
