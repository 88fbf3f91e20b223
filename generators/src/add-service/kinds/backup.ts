/** The backup kind's questions (schema: packages/core/src/manifest/services/backup.ts). Unanswered: the schema's defaults. */
import type { ServiceKindPrompts } from "./kind.js";

const text = (t: string) => t.trim();

export const backupPrompts: ServiceKindPrompts = {
  kind: "backup",
  description: "BorgBackup of every stateful path on the host: encrypted, compressed, scheduled, pruned",
  fields: [
    { name: "repository", flag: "--repository", message: "The borg repository (/mnt/backup/borg, user@host:path or ssh://user@host:23/./path; required):", parse: text },
    { name: "schedule", flag: "--schedule", message: "When it runs, a systemd calendar event (default: daily):", parse: text },
    { name: "sshKey", flag: "--ssh-key-file", message: "The SSH private key on the host for a remote repository (default: none):", parse: text },
  ],
};
