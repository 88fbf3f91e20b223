/** The monitoring kind (Prometheus + Grafana on the host): its state, backups, scrape targets and secrets. */
import { isEncryptedBackend, type Kind } from "./kind.js";

/**
 * The live data of Prometheus' TSDB under a state directory (services.prometheus: --storage.tsdb.path
 * = /var/lib/<stateDir>/data, prometheus/default.nix): the write-ahead log and the head chunks change
 * every second; the persisted blocks are immutable once written. A restore loses the last
 * ~2 hours of samples, which were never in a block.
 */
export const prometheusLiveData = (stateDir: string) => [`${stateDir}/data/chunks_head`, `${stateDir}/data/wal`];

export const monitoringKind: Kind<"monitoring"> = {
  modules: () => ["services/monitoring.nix"],
  // services.prometheus.stateDir "prometheus2" under /var/lib (prometheus/default.nix);
  // services.grafana.dataDir "/var/lib/grafana" (grafana.nix), its SQLite database included
  statefulPaths: () => ["/var/lib/prometheus2", "/var/lib/grafana"],
  backupPrep: () => ({ dumps: [], exclude: prometheusLiveData("/var/lib/prometheus2") }),
  scrapeTargets: () => [],
  scrapeSecrets: () => [],
  // read by root only: Grafana gets its two values from a root-run ExecStartPre that copies them
  // out (modules/services/monitoring.nix); under env-file the operator's file is the backend's
  secretFiles: ({ service, stack }) => (isEncryptedBackend(stack.secrets.backend) ? { [service.name]: { owner: "root", group: "root" } } : {}),
};
