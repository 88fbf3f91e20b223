import type { Feature } from "@nixos-stack/core";
import { flakeInputs } from "./context.js";
import { isFleetTarget } from "./fleet-targets.js";
import { stackAppSourceInputs } from "./node-app.js";
import { isEncryptedBackend } from "../kinds/kind.js";
import { SECRETS_BACKENDS } from "./secrets-backends.js";

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
        deployRs: stack.deployer === "deploy-rs",
        colmena: stack.deployer === "colmena",
        deployTargets:
          stack.deployer === "nixos-rebuild"
            ? false
            : Object.fromEntries(stack.hosts.map((h) => [h.name, { address: h.deploy.address ?? h.name, user: h.deploy.user, port: h.deploy.sshPort, tags: h.tags }])),
        // the sources of node-apps fetched from GitHub (flake = false: plain trees)
        appSources: stackAppSourceInputs(stack),
        secretsInput: isEncryptedBackend(stack.secrets.backend) ? SECRETS_BACKENDS[stack.secrets.backend].input : false,
        // the directory each host lives under: targets/ for the LAN fleet, hosts/ for VPSes
        hosts: Object.fromEntries(stack.hosts.map((h) => [h.name, { system: h.system, under: isFleetTarget(h) ? "targets" : "hosts" }])),
      },
    },
  ],
};
