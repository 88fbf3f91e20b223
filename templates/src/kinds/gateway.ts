/** The gateway kind (a home-manager user's gateway program): its state, backups, scrape targets and secrets. */
import { isEncryptedBackend, NO_BACKUP_PREP, type Kind } from "./kind.js";

export const gatewayKind: Kind<"gateway"> = {
  modules: () => ["services/gateway.nix"],
  // its user's home (users.users.<name>.home, /home/<name> for isNormalUser:
  // nixos/modules/config/users-groups.nix): the program's data and, under env-file, its secrets file
  statefulPaths: ({ service }) => [`/home/${service.user}`],
  backupPrep: () => NO_BACKUP_PREP,
  scrapeTargets: () => [],
  scrapeSecrets: () => [],
  // env-file: the user creates the file in the home; agenix and sops: an encrypted file read by the
  // user, whose group isNormalUser makes "users" (users-groups.nix: group = mkDefault "users")
  secretFiles: ({ service, stack }) => (isEncryptedBackend(stack.secrets.backend) ? { [service.name]: { owner: service.user, group: "users" } } : {}),
};
