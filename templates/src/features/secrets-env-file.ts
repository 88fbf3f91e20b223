import type { Feature, Stack } from "@nixos-stack/core";
import { secretHosts } from "./secrets-backends.js";

/** Where the env-file backend's files live on a server (outside the store; the operator creates them). */
export function envFileSecretsDir(stack: Stack): string {
  return `/etc/${stack.name}/secrets`;
}

/** The env-file backend: modules/secrets.nix and docs/secrets.md, when a service has a secrets file. */
export const envFileSecretsFeature: Feature = {
  id: "secrets-env-file",
  applies: (stack) => stack.secrets.backend === "env-file" && secretHosts(stack).length > 0,
  files: (stack) => {
    const secretsDir = envFileSecretsDir(stack);
    return [
      { path: "modules/secrets.nix", template: "modules/secrets-env-file.nix", ownership: "managed", context: { secretsDir, stackName: stack.name } },
      {
        path: "docs/secrets.md",
        template: "docs/secrets-env-file.md",
        ownership: "managed",
        context: { secretsDir, secrets: secretHosts(stack).map(({ name, hosts }) => ({ name, hosts, path: `${secretsDir}/${name}.env` })) },
      },
    ];
  },
};
