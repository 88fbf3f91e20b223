/** The home-service kind (a home-manager user service): its state, backups, scrape targets and secrets. */
import { isEncryptedBackend, NO_BACKUP_PREP, type Kind } from "./kind.js";

export const homeServiceKind: Kind<"home-service"> = {
  modules: () => ["services/home-service.nix"],
  // its user's home (/home/<name> for isNormalUser: nixos/modules/config/users-groups.nix)
  statefulPaths: ({ service }) => [`/home/${service.user}`],
  backupPrep: () => NO_BACKUP_PREP,
  scrapeTargets: () => [],
  scrapeSecrets: () => [],
  // as the gateway's: in the home under env-file, an encrypted file read by the user otherwise
  secretFiles: ({ service, stack }) => (isEncryptedBackend(stack.secrets.backend) ? { [service.name]: { owner: service.user, group: "users" } } : {}),
};
