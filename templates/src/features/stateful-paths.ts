/**
 * Where each service kind keeps its state on the host, and which node exporters a host's
 * Prometheus scrapes besides its own: the backup kind backs up every stateful path of its host
 * by default, the monitoring kind scrapes every target. A kind contributes both here, one entry
 * each (the containers kind: /var/lib/nixos-containers/<name> and each container's exporter).
 * The record is typed over every kind, so a new kind cannot forget to say where its state is.
 */
import type { Host, ServiceKind, ServiceOf, Stack } from "@nixos-stack/core";
import { containerBackupPrep, containerStatefulPaths, prometheusLiveData, type BackupDump } from "./containers.js";

type PerKind<R> = { [K in ServiceKind]: (service: ServiceOf<K>, host: Host, stack: Stack) => R };

/**
 * The paths a kind's service writes and a restore must bring back. A home-manager user's home
 * (users.users.<name>.home, /home/<name> for isNormalUser: nixos/modules/config/users-groups.nix)
 * holds its program's data and, under env-file, its secrets file.
 */
export const STATEFUL_PATHS: PerKind<string[]> = {
  gateway: (service) => [`/home/${service.user}`],
  "home-service": (service) => [`/home/${service.user}`],
  // services.prometheus.stateDir "prometheus2" under /var/lib (prometheus/default.nix);
  // services.grafana.dataDir "/var/lib/grafana" (grafana.nix), its SQLite database included
  monitoring: () => ["/var/lib/prometheus2", "/var/lib/grafana"],
  // borg's own cache is rebuilt from the repository; the repository key is in it (repokey)
  backup: () => [],
  // its StateDirectory= (modules/services/<name>.nix: stateDirectory defaults to the name); the
  // app's code is in the store, its secrets file is the backend's
  "node-app": (service) => [`/var/lib/${service.name}`],
  // each instance's StateDirectory (/var/lib/<app>/<instance>: modules/services/<app>.nix) and the
  // nightly dumps of its database (services.postgresqlBackup.location): a consistent copy, where
  // the live data directory of a running PostgreSQL is not
  "web-app": (service) => [`/var/lib/${service.name}`, ...(service.postgresql && service.backup.enable ? [service.backup.location] : [])],
  // each container's whole root (nixos-containers.nix: /var/lib/nixos-containers/<name>)
  containers: (service) => containerStatefulPaths(service),
};

/** node exporters (host:port) a kind runs on the host besides the host's own: containers list theirs. */
export const SCRAPE_TARGETS: PerKind<string[]> = {
  gateway: () => [],
  "home-service": () => [],
  monitoring: () => [],
  backup: () => [],
  "node-app": () => [],
  "web-app": () => [],
  // the containers are scraped as job container by whichever Prometheus watches the host
  // (modules/services/container-metrics.nix); the host's own exporter is 127.0.0.1's here
  containers: () => [],
};

/**
 * What a backup of a kind's state needs beyond its paths: dumps run before each archive (a
 * consistent copy of a live database) and live paths left out of it (the database's own files).
 */
type BackupPrep = { dumps: BackupDump[]; exclude: string[] };
const NOTHING: BackupPrep = { dumps: [], exclude: [] };
export const BACKUP_PREP: PerKind<BackupPrep> = {
  gateway: () => NOTHING,
  "home-service": () => NOTHING,
  monitoring: () => ({ dumps: [], exclude: prometheusLiveData("/var/lib/prometheus2") }),
  backup: () => NOTHING,
  "node-app": () => NOTHING,
  // its nightly dumps (services.postgresqlBackup) are already in its paths; the cluster is not
  "web-app": () => NOTHING,
  containers: (service) => containerBackupPrep(service),
};

/** The dumps and excludes of every service on a host, in the order of its services. */
export function hostBackupPrep(stack: Stack, host: Host): BackupPrep {
  const preps = host.services.map((service) => (BACKUP_PREP[service.kind] as PerKind<BackupPrep>[ServiceKind])(service as never, host, stack));
  return { dumps: preps.flatMap((p) => p.dumps), exclude: sorted(preps.flatMap((p) => p.exclude)) };
}

const sorted = (values: string[]) => [...new Set(values)].sort();

/** Every stateful path of the services on a host, sorted, without duplicates. */
export function hostStatefulPaths(stack: Stack, host: Host): string[] {
  return sorted(host.services.flatMap((service) => (STATEFUL_PATHS[service.kind] as PerKind<string[]>[ServiceKind])(service as never, host, stack)));
}

/** Every node exporter on a host that the host's own Prometheus should scrape besides 127.0.0.1's. */
export function hostScrapeTargets(stack: Stack, host: Host): string[] {
  return sorted(host.services.flatMap((service) => (SCRAPE_TARGETS[service.kind] as PerKind<string[]>[ServiceKind])(service as never, host, stack)));
}
