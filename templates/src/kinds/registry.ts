/**
 * Every service kind's facts, one entry each, typed over every kind: a new kind in the manifest
 * fails the typecheck here until it says where its state is, what its backup needs, what is
 * scraped for it and which secret files it reads. The cross-cutting features (backup, monitoring,
 * the secrets backends and docs) read the host-level sums below, never a kind's file.
 */
import type { Host, Service, ServiceKind, Stack } from "@nixos-stack/core";
import { backupKind } from "./backup.js";
import { containersKind } from "./containers.js";
import { gatewayKind } from "./gateway.js";
import { homeServiceKind } from "./home-service.js";
import type { BackupPrep, Kind, KindInput, SecretFile } from "./kind.js";
import { monitoringKind } from "./monitoring.js";
import { nodeAppKind } from "./node-app.js";
import { webAppKind } from "./web-app.js";

/** In the order a host imports their modules. */
export const KINDS: { readonly [K in ServiceKind]: Kind<K> } = {
  gateway: gatewayKind,
  "home-service": homeServiceKind,
  monitoring: monitoringKind,
  containers: containersKind,
  backup: backupKind,
  "node-app": nodeAppKind,
  "web-app": webAppKind,
};

/** One fact of one service, read from its kind's entry. */
function fact<F extends keyof Kind<ServiceKind>>(field: F, service: Service, host: Host, stack: Stack): ReturnType<Kind<ServiceKind>[F]> {
  const kind = KINDS[service.kind] as unknown as Kind<ServiceKind>;
  return kind[field]({ service, host, stack } as KindInput<ServiceKind>) as ReturnType<Kind<ServiceKind>[F]>;
}

const sorted = (values: string[]) => [...new Set(values)].sort();

/** The modules (under modules/) a host imports for its services: in the registry's kind order, each once. */
export function hostServiceModules(stack: Stack, host: Host): string[] {
  const kinds = Object.keys(KINDS) as ServiceKind[];
  const byKind = [...host.services].sort((a, b) => kinds.indexOf(a.kind) - kinds.indexOf(b.kind));
  return [...new Set(byKind.flatMap((service) => fact("modules", service, host, stack)))];
}

/** Every stateful path of the services on a host, sorted, without duplicates. */
export function hostStatefulPaths(stack: Stack, host: Host): string[] {
  return sorted(host.services.flatMap((service) => fact("statefulPaths", service, host, stack)));
}

/** The dumps (in the order of the host's services) and the excludes (sorted) of every service on a host. */
export function hostBackupPrep(stack: Stack, host: Host): BackupPrep {
  const preps = host.services.map((service) => fact("backupPrep", service, host, stack));
  return { dumps: preps.flatMap((p) => p.dumps), exclude: sorted(preps.flatMap((p) => p.exclude)) };
}

/** Every node exporter on a host that the host's own Prometheus should scrape besides 127.0.0.1's. */
export function hostScrapeTargets(stack: Stack, host: Host): string[] {
  return sorted(host.services.flatMap((service) => fact("scrapeTargets", service, host, stack)));
}

/** Every scrape credential the host's Prometheus reads from a secret file, in the order of the host's services. */
export function hostScrapeSecrets(stack: Stack, host: Host): Array<{ key: string; file: string }> {
  return host.services.flatMap((service) => fact("scrapeSecrets", service, host, stack));
}

/**
 * Pure: secret name → its file, for one host (the secrets contract: the host's managed
 * default.nix sets them as `stack.secrets.files`; modules/secrets.nix, one per backend, declares
 * where each backend puts the decrypted file; the service reads its `path`).
 */
export function hostSecretFiles(stack: Stack, host: Host): Record<string, SecretFile> {
  return Object.assign({}, ...host.services.map((service) => fact("secretFiles", service, host, stack))) as Record<string, SecretFile>;
}

/** Every secret name in the repo (each service name is unique across hosts), sorted. */
export function stackSecretNames(stack: Stack): string[] {
  return sorted(stack.hosts.flatMap((h) => Object.keys(hostSecretFiles(stack, h))));
}
