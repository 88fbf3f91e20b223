/** The containers kind (nixos-containers on one host): its state, backups, scrape targets and secrets. */
import { containerScrapeSecrets, containerSecretName, QDRANT_SNAPSHOT_UNIT } from "../features/containers.js";
import type { BackupDump, Kind } from "./kind.js";
import { prometheusLiveData } from "./monitoring.js";

export const containersKind: Kind<"containers"> = {
  modules: () => ["services/containers.nix"],
  // each container's whole root (nixos-containers.nix: /var/lib/nixos-containers/<name>), databases included
  statefulPaths: ({ service }) => service.containers.map((c) => `/var/lib/nixos-containers/${c.name}`),
  /**
   * Each data container's PostgreSQL is dumped whole (pg_dumpall: roles and databases,
   * services.postgresqlBackup inside it, to /var/backup/postgresql) and its live cluster left out;
   * Qdrant's full snapshot is taken through its API (to its snapshots_path) and its live storage
   * left out (DynamicUser: its state is /var/lib/private/qdrant, systemd.exec(5)); a monitoring
   * container's Prometheus keeps its blocks.
   */
  backupPrep: ({ service }) => {
    const dumps: BackupDump[] = [];
    const exclude: string[] = [];
    for (const c of service.containers) {
      const root = `/var/lib/nixos-containers/${c.name}`;
      if (c.role === "data" && c.postgresql) {
        dumps.push({ machine: c.name, unit: "postgresqlBackup.service" });
        exclude.push(`${root}/var/lib/postgresql`);
      }
      if (c.role === "data" && c.qdrant) {
        dumps.push({ machine: c.name, unit: QDRANT_SNAPSHOT_UNIT });
        exclude.push(`${root}/var/lib/private/qdrant/storage`);
      }
      if (c.role === "monitoring") exclude.push(...prometheusLiveData(`${root}/var/lib/prometheus2`));
    }
    return { dumps, exclude };
  },
  // the containers are scraped as job container by whichever Prometheus watches the host
  // (modules/services/container-metrics.nix); the host's own exporter is 127.0.0.1's there
  scrapeTargets: () => [],
  // Qdrant's API key, from the monitoring container's secret file (modules/services/monitoring.nix)
  scrapeSecrets: ({ service }) => containerScrapeSecrets(service),
  /**
   * Each container's secret file (owned by root: it is bind-mounted, read by root-run steps or the
   * container's own root). Under env-file the backend keeps an empty placeholder there until the
   * operator writes it (`placeholder`): systemd-nspawn refuses to start a container whose bind-mount
   * source is missing. agenix and sops mount only a secret whose encrypted file exists.
   */
  secretFiles: ({ service, stack }) =>
    Object.fromEntries(
      service.containers.flatMap((c) => {
        const name = containerSecretName(service, c);
        return name ? [[name, { owner: "root", group: "root", ...(stack.secrets.backend === "env-file" ? { placeholder: true } : {}) }]] : [];
      }),
    ),
};
