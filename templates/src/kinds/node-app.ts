/** The node-app kind (a Node.js app as a hardened system service): its state, backups, scrape targets and secrets. */
import { nodeAppAccount } from "@nixos-stack/core";
import { NO_BACKUP_PREP, type Kind } from "./kind.js";

export const nodeAppKind: Kind<"node-app"> = {
  // one module per app, named after it (templates/files/modules/services/<app>.nix)
  modules: ({ service }) => [`services/${service.name}.nix`],
  // its StateDirectory= (modules/services/<name>.nix: stateDirectory defaults to the name); the
  // app's code is in the store, its secrets file is the backend's
  statefulPaths: ({ service }) => [`/var/lib/${service.name}`],
  backupPrep: () => NO_BACKUP_PREP,
  scrapeTargets: () => [],
  scrapeSecrets: () => [],
  // one in every backend (env-file: /etc/<stack>/secrets/<name>.env), owned by its own user and group
  secretFiles: ({ service }) => {
    const { user, group } = nodeAppAccount(service);
    return { [service.name]: { owner: user, group } };
  },
};
