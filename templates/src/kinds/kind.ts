/**
 * What one service kind tells the cross-cutting features about itself: where its state lives (the
 * backup kind backs it up), what a backup must run first or leave out, which exporters the host's
 * Prometheus scrapes for it (the monitoring kind), and the secret files it reads (the secrets
 * backends and docs). Each kind says it in its own file beside this one; registry.ts collects them.
 */
import type { Host, ServiceKind, ServiceOf, Stack } from "@nixos-stack/core";

/** A oneshot unit a backup job starts, and waits for, before each archive (in a container, or on the host). */
export type BackupDump = { machine: string | null; unit: string };

/** Dumps run before each archive (a consistent copy of a live database) and live paths left out of it. */
export type BackupPrep = { dumps: BackupDump[]; exclude: string[] };

export const NO_BACKUP_PREP: BackupPrep = { dumps: [], exclude: [] };

/** A service's secret file under the secrets contract (`stack.secrets.files.<name>`). */
export interface SecretFile {
  owner: string;
  group: string;
  /** env-file only: keep an empty file at the path until the operator writes it (a container's bind mount) */
  placeholder?: boolean;
}

/** Where a kind's facts are read: the service, its host, the stack (the backend among it). */
export type KindInput<K extends ServiceKind> = { service: ServiceOf<K>; host: Host; stack: Stack };

export interface Kind<K extends ServiceKind> {
  /** the NixOS modules (under the repo's modules/) its host imports for it: once per kind, or one per app */
  modules(input: KindInput<K>): string[];
  /** the paths the service writes and a restore must bring back */
  statefulPaths(input: KindInput<K>): string[];
  /** what a backup of those paths runs first and leaves out */
  backupPrep(input: KindInput<K>): BackupPrep;
  /** node exporters (host:port) the host's Prometheus scrapes for it besides the host's own */
  scrapeTargets(input: KindInput<K>): string[];
  /** secret-file lines (KEY=value) the host's Prometheus sends as scrape credentials, and the file each is in */
  scrapeSecrets(input: KindInput<K>): Array<{ key: string; file: string }>;
  /** its secret files by name (unique in the repo), under the stack's backend */
  secretFiles(input: KindInput<K>): Record<string, SecretFile>;
}

/** Backends that decrypt a committed, encrypted file on the host at activation. */
export const ENCRYPTED_BACKENDS = ["agenix", "sops"] as const;
export type EncryptedBackend = (typeof ENCRYPTED_BACKENDS)[number];

export function isEncryptedBackend(backend: string): backend is EncryptedBackend {
  return (ENCRYPTED_BACKENDS as readonly string[]).includes(backend);
}
