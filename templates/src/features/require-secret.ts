import type { Feature } from "@nixos-stack/core";
import { hasService } from "./context.js";

/** Kinds whose units wait for a secret file with an ExecCondition (modules/lib/require-secret.nix): Grafana, a container's services. */
export const REQUIRE_SECRET_KINDS: readonly string[] = ["monitoring", "containers"];

/** The start check of a unit that reads a secret file: skipped with one journal line while it is missing, never a restart loop. */
export const requireSecretFeature: Feature = {
  id: "require-secret",
  applies: (stack) => stack.hosts.some((h) => REQUIRE_SECRET_KINDS.some((kind) => hasService(h, kind))),
  files: () => [{ path: "modules/lib/require-secret.nix", template: "modules/lib/require-secret.nix", ownership: "managed" }],
};
