import type { Feature } from "@nixos-stack/core";
import { SYSTEM_ALIASES } from "./context.js";
import { fleetInventory } from "./fleet-scripts.js";
import { isEncryptedBackend } from "../kinds/kind.js";
import { hostSecretFiles } from "../kinds/registry.js";
import { rsyncSecretsFilter } from "./secrets-backends.js";
import { hasVpsHosts } from "./vps-profile.js";
import { envFileSecretsDir } from "./secrets-env-file.js";

/**
 * The host inventory and the shared script library, and for VPS hosts bootstrap.sh (nixos-anywhere
 * with their disko layout, local Nix or Docker) and update.sh (rsync + ssh). A fleet's LAN targets
 * have no disko layout and deploy with deploy.sh (which also builds on the target without Nix
 * here): they get neither; docs/bootstrap.md covers their first install.
 */
export const deployScriptsFeature: Feature = {
  id: "deploy-scripts",
  applies: () => true,
  files: (stack) => [
    {
      path: "deploy/inventory.sh",
      template: "deploy/inventory.sh",
      ownership: "managed",
      context: {
        hosts: stack.hosts.map((h) => ({ name: h.name, system: h.system, arch: SYSTEM_ALIASES[h.system], sshPort: h.deploy.sshPort, address: h.deploy.address ?? "", disk: h.disk.device })),
        // "host/service/user" per home-manager user service (gateway, home-service) whose secrets are copied by hand, for bootstrap.sh's secrets step
        gateways: stack.hosts.flatMap((h) => h.services.flatMap((s) => ((s.kind === "gateway" || s.kind === "home-service") && !(s.name in hostSecretFiles(stack, h)) ? [`${h.name}/${s.name}/${s.user}`] : []))),
        // "host/service/path" per env-file secrets file (node-apps): bootstrap.sh prints how to put it on the server
        envFiles:
          stack.secrets.backend === "env-file"
            ? stack.hosts.flatMap((h) => Object.keys(hostSecretFiles(stack, h)).map((name) => `${h.name}/${name}/${envFileSecretsDir(stack)}/${name}.env`))
            : [],
        // the fleet scripts' fields (deploy user, tags, deployer, sudo); null keeps other stacks' inventory as it was
        fleet: fleetInventory(stack),
      },
    },
    { path: "deploy/lib.sh", template: "deploy/lib.sh", ownership: "managed" },
    ...(hasVpsHosts(stack)
      ? [
          { path: "bootstrap.sh", template: "deploy/bootstrap.sh", ownership: "managed" as const, executable: true, context: { encryptedSecrets: isEncryptedBackend(stack.secrets.backend) ? stack.secrets.backend : false } },
          { path: "update.sh", template: "deploy/update.sh", ownership: "managed" as const, executable: true, context: { secretsFilter: rsyncSecretsFilter(stack) } },
        ]
      : []),
  ],
};
