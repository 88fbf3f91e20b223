/**
 * The secret files of a host's services, under the secrets contract (docs: issue 8): one entry
 * per service that needs secrets, named after the service, owned by the service's user. The
 * host's managed default.nix sets them as `stack.secrets.files`; modules/secrets.nix (one per
 * backend) declares where each backend puts the decrypted file; the service reads its `path`.
 */
import { nodeAppAccount, type Host, type Stack } from "@nixos-stack/core";
import { webAppSecretFiles } from "./web-app.js";
import { containerSecretFiles } from "./containers.js";

export interface SecretFile {
  owner: string;
  group: string;
  /** env-file only: keep an empty file at the path until the operator writes it (a container's bind mount) */
  placeholder?: boolean;
}

/** Backends that decrypt a committed, encrypted file on the host at activation. */
export const ENCRYPTED_BACKENDS = ["agenix", "sops"] as const;
export type EncryptedBackend = (typeof ENCRYPTED_BACKENDS)[number];

export function isEncryptedBackend(backend: string): backend is EncryptedBackend {
  return (ENCRYPTED_BACKENDS as readonly string[]).includes(backend);
}

/**
 * Pure: service name → its secret file, for one host. A gateway keeps its secrets file in its
 * user's home under env-file (the user creates it there); under agenix and sops it gets an
 * encrypted file like any other service. isNormalUser puts the gateway's user in "users"
 * (nixos/modules/config/users-groups.nix: group = mkDefault "users"). A node-app has one in
 * every backend (env-file: /etc/<stack>/secrets/<name>.env), owned by its own user and group.
 */
export function hostSecretFiles(stack: Stack, host: Host): Record<string, SecretFile> {
  const files: Record<string, SecretFile> = {};
  const encrypted = isEncryptedBackend(stack.secrets.backend);
  for (const service of host.services) {
    if (service.kind === "node-app") {
      const { user, group } = nodeAppAccount(service);
      files[service.name] = { owner: user, group };
    }
    // each web-app instance: its own file, read by its own user (env-file too: /etc/<stack>/secrets/<app>-<instance>.env)
    if (service.kind === "web-app") Object.assign(files, webAppSecretFiles(service));
    if (service.kind === "containers") Object.assign(files, containerSecretFiles(host, stack.secrets.backend));
    if (!encrypted) continue;
    if (service.kind === "gateway" || service.kind === "home-service") files[service.name] = { owner: service.user, group: "users" };
    // read by root only: borg runs as root, and Grafana gets its two values from a root-run
    // ExecStartPre that copies them out (modules/services/monitoring.nix)
    if (service.kind === "monitoring" || service.kind === "backup") files[service.name] = { owner: "root", group: "root" };
  }
  return files;
}

/** Every secret name in the repo (each service name is unique across hosts), sorted. */
export function stackSecretNames(stack: Stack): string[] {
  return [...new Set(stack.hosts.flatMap((h) => Object.keys(hostSecretFiles(stack, h))))].sort();
}
