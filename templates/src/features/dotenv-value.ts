import type { Feature } from "@nixos-stack/core";
import { hasService } from "./context.js";

/** Kinds whose system services read one value out of their dotenv secret file (modules/lib/dotenv-value.nix). */
export const DOTENV_VALUE_KINDS: readonly string[] = ["monitoring", "backup", "containers"];

/** The helper that prints one KEY's value from a dotenv secret file (Grafana's and borg's secrets). */
export const dotenvValueFeature: Feature = {
  id: "dotenv-value",
  applies: (stack) => stack.hosts.some((h) => DOTENV_VALUE_KINDS.some((kind) => hasService(h, kind))),
  files: () => [{ path: "modules/lib/dotenv-value.nix", template: "modules/lib/dotenv-value.nix", ownership: "managed" }],
};
