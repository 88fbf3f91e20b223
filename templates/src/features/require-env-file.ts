import type { Feature, Stack } from "@nixos-stack/core";
import { hasService } from "./context.js";

/**
 * Kinds whose system services read a KEY=value secrets file as their EnvironmentFile, and so
 * start only once it exists (modules/lib/require-env-file.nix: "-" and an ExecCondition).
 * A new kind that reads one adds its name here and calls the helper.
 */
export const SECRET_ENV_FILE_KINDS: readonly string[] = ["node-app", "web-app", "containers"];

export function usesRequireEnvFile(stack: Stack): boolean {
  return stack.hosts.some((h) => SECRET_ENV_FILE_KINDS.some((kind) => hasService(h, kind)));
}

/** The start check (a script) and its Nix helper, written once when any host runs such a kind. */
export const requireEnvFileFeature: Feature = {
  id: "require-env-file",
  applies: usesRequireEnvFile,
  files: () => [
    { path: "modules/lib/require-env-file.sh", template: "modules/lib/require-env-file.sh", ownership: "managed", executable: true },
    { path: "modules/lib/require-env-file.nix", template: "modules/lib/require-env-file.nix", ownership: "managed" },
  ],
};
