/** The backup kind (borgbackup jobs): its state, backups, scrape targets and secrets. */
import { isEncryptedBackend, NO_BACKUP_PREP, type Kind } from "./kind.js";

export const backupKind: Kind<"backup"> = {
  modules: () => ["services/backup.nix"],
  // borg's own cache is rebuilt from the repository; the repository key is in it (repokey)
  statefulPaths: () => [],
  backupPrep: () => NO_BACKUP_PREP,
  scrapeTargets: () => [],
  scrapeSecrets: () => [],
  // the passphrase, read by borg, which runs as root
  secretFiles: ({ service, stack }) => (isEncryptedBackend(stack.secrets.backend) ? { [service.name]: { owner: "root", group: "root" } } : {}),
};
