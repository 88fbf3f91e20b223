/** The web-app kind (instances with nginx, ACME and PostgreSQL each): its state, backups, scrape targets and secrets. */
import { webAppUser } from "@nixos-stack/core";
import { NO_BACKUP_PREP, type Kind } from "./kind.js";

export const webAppKind: Kind<"web-app"> = {
  // one module per app, named after it (templates/files/modules/services/<app>.nix)
  modules: ({ service }) => [`services/${service.name}.nix`],
  // each instance's StateDirectory (/var/lib/<app>/<instance>: modules/services/<app>.nix) and the
  // nightly dumps of its database (services.postgresqlBackup.location): a consistent copy, where
  // the live data directory of a running PostgreSQL is not
  statefulPaths: ({ service }) => [`/var/lib/${service.name}`, ...(service.postgresql && service.backup.enable ? [service.backup.location] : [])],
  // its nightly dumps are already in its paths; the cluster is not
  backupPrep: () => NO_BACKUP_PREP,
  scrapeTargets: () => [],
  scrapeSecrets: () => [],
  // each instance: its own file `<app>-<instance>`, read by the instance's user, in every backend
  // (env-file too: /etc/<stack>/secrets/<app>-<instance>.env)
  secretFiles: ({ service }) => Object.fromEntries(service.instances.map((inst) => [`${service.name}-${inst.name}`, { owner: webAppUser(service, inst), group: service.name }])),
};
