import type { Feature } from "@nixos-stack/core";
import { isEncryptedBackend } from "../kinds/kind.js";
import { SECRETS_BACKENDS, secretHosts } from "./secrets-backends.js";
import { hasVpsHosts } from "./vps-profile.js";

/** The agenix or sops backend: modules/secrets.nix, the recipients file and docs/secrets.md (env-file has its own). */
export const secretsFeature: Feature = {
  id: "secrets",
  applies: (stack) => isEncryptedBackend(stack.secrets.backend),
  files: (stack) => {
    const backend = stack.secrets.backend;
    if (!isEncryptedBackend(backend)) return [];
    const spec = SECRETS_BACKENDS[backend];
    const secrets = secretHosts(stack).map(({ name, hosts }) => ({ name, file: spec.encryptedFile(name).replace(/^secrets\//, ""), hosts }));
    return [
      {
        path: "modules/secrets.nix",
        template: `modules/secrets-${backend}.nix`,
        ownership: "managed",
        // paths relative to modules/
        context: { encryptedFiles: secrets.map((s) => ({ name: s.name, path: `../${spec.encryptedFile(s.name)}` })) },
      },
      { path: "docs/secrets.md", template: `docs/secrets-${backend}.md`, ownership: "managed", context: { secrets, fleetOnly: !hasVpsHosts(stack) } },
      ...spec.files(stack),
    ];
  },
};
