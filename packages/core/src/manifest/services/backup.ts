import * as z from "zod/mini";
import { DEFAULTS } from "../defaults.js";
import { kindTag, lazyKind, NO_CONTROL_CHARS, serviceName } from "../rules.js";
import { sshKeyProblem } from "../ssh-key.js";
import type { PortFields } from "./port-fields.js";

/**
 * BorgBackup of every stateful path on the host (the kinds' data directories, container state),
 * encrypted (repokey-blake2) with a passphrase from the service's secret file, compressed,
 * on a schedule, pruned to daily/weekly/monthly archives. Built on first use (rules.ts: lazyKind).
 */
export const backupService = lazyKind("backup", () => {
  /** An absolute path without shell or glob metacharacters: it is a borg argument and a systemd path. */
  const absolutePath = z.string().check(z.regex(/^\/([A-Za-z0-9._@+-]+\/?)*$/, "use an absolute path such as /var/lib/app (letters, digits and . _ @ + - between slashes)"));

  /**
   * A borg repository: a local absolute path, `user@host:path`, or `ssh://user@host[:port]/path`
   * (borg help repo-urls). No spaces, quotes or `$`: it is exported as BORG_REPO.
   */
  const borgRepository = z
    .string()
    .check(
      z.regex(NO_CONTROL_CHARS, "must not contain control characters"),
      z.regex(/^(\/[A-Za-z0-9._@+\/-]*|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._~\/-]*|ssh:\/\/[A-Za-z0-9._-]+@[A-Za-z0-9.-]+(:\d{1,5})?\/[A-Za-z0-9._~\/-]*)$/, "use a local path (/mnt/backup/borg), user@host:path or ssh://user@host:23/./borg (borg help repo-urls)"),
    );

  /** systemd.time(7) calendar events as borg's startAt takes them: daily, weekly, *-*-* 03:15:00, Mon..Fri 02:00. */
  const calendar = z.string().check(z.regex(/^[A-Za-z0-9*,.:\/ ~-]{1,64}$/, "use a systemd calendar event such as daily, weekly or *-*-* 03:15:00 (systemd.time(7))"));

  const keep = (what: string) => z.number().check(z.int("must be a whole number"), z.gte(0, `use 0 or more ${what} archives (0 keeps none of that kind)`), z.lte(1000, "keep at most 1000"));

  return z.strictObject({
    kind: kindTag("backup"),
    name: z._default(serviceName(), DEFAULTS.backup.name),
    repository: borgRepository,
    /** When the job runs (borgbackup startAt). */
    schedule: z._default(calendar, DEFAULTS.backup.schedule),
    /** borg --compression: none, or [auto,]lz4|zstd|zlib|lzma[,level] (nixos/modules/services/backup/borgbackup.nix). */
    compression: z._default(
      z.string().check(z.regex(/^(none|(auto,)?(lz4|zstd|zlib|lzma)(,\d{1,2})?)$/, "use none, or [auto,]lz4|zstd|zlib|lzma[,level], such as auto,zstd or zstd,3 (borg help compression)")),
      DEFAULTS.backup.compression,
    ),
    keep: z
      .prefault(
        z.strictObject({
          daily: z._default(keep("daily"), DEFAULTS.backup.keep.daily),
          weekly: z._default(keep("weekly"), DEFAULTS.backup.keep.weekly),
          monthly: z._default(keep("monthly"), DEFAULTS.backup.keep.monthly),
        }),
        {},
      )
      .check(z.refine((k) => k.daily + k.weekly + k.monthly > 0, "keeps no archive at all (borg prune needs one keep rule above 0): keep at least one daily, weekly or monthly archive")),
    /** Paths to back up besides the stateful paths of the host's services. */
    paths: z._default(z.array(absolutePath), []),
    /** Paths (borg patterns are not offered: plain prefixes) left out of the archive. */
    exclude: z._default(z.array(absolutePath), []),
    /** The SSH private key borg uses to reach a remote repository (BORG_RSH), on the host. */
    sshKey: z.optional(absolutePath),
    /**
     * The remote repository host's SSH host key, pinned in /etc/ssh/ssh_known_hosts: borg's unit
     * runs with ProtectSystem=strict and can never store one it meets (borgbackup.nix).
     */
    repositoryHostKey: z.optional(
      z.string().check(
        z.superRefine((line, ctx) => {
          const problem = sshKeyProblem(line);
          if (problem) ctx.addIssue({ code: "custom", message: `${problem} (the storage box's host key: one line of \`ssh-keyscan\`'s output without the host name)` });
        }),
      ),
    ),
  }).check(z.superRefine((backup, ctx) => {
    const remote = borgRepositoryHost(backup.repository);
    if (remote && backup.repositoryHostKey === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["repositoryHostKey"],
        input: undefined,
        message: `is required for the SSH repository on ${remote.host}: borg's unit cannot store a host key on first contact, so the key is pinned. Get it with \`ssh-keyscan -p ${remote.port} -t ed25519 ${remote.host}\`, check it against the fingerprint your provider publishes, and give the part after the host name ("ssh-ed25519 AAAA…")`,
      });
    }
    if (!remote && backup.repositoryHostKey !== undefined) {
      ctx.addIssue({ code: "custom", path: ["repositoryHostKey"], input: backup.repositoryHostKey, message: "is for an SSH repository; this one is a local path: leave it out" });
    }
  }));
});

/** The SSH host and port of a remote repository (`user@host:path` is port 22), or undefined for a local path. */
export function borgRepositoryHost(repository: string): { host: string; port: number } | undefined {
  const url = /^ssh:\/\/[^@\/]+@([^:\/]+)(?::(\d+))?\//.exec(repository);
  if (url) return { host: url[1]!, port: url[2] === undefined ? 22 : Number(url[2]) };
  const scp = /^[^@\/]+@([^:\/]+):/.exec(repository);
  return scp ? { host: scp[1]!, port: 22 } : undefined;
}

/** The names ssh looks the repository host up by in known_hosts: `host`, or `[host]:port` off port 22 (sshd(8), SSH_KNOWN_HOSTS FILE FORMAT). */
export function knownHostNames(remote: { host: string; port: number }): string[] {
  return [remote.port === 22 ? remote.host : `[${remote.host}]:${remote.port}`];
}
export type BackupService = z.infer<ReturnType<typeof backupService>>;

export const backupPortFields = [] as const satisfies PortFields<BackupService>;
