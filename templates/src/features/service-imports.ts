import type { Host, Stack } from "@nixos-stack/core";
import { hostSecretFiles, hostServiceModules } from "../kinds/registry.js";

/**
 * The modules of a host's services, its tuning and its secrets (relative to hosts/<name>/ and
 * targets/<name>/ alike): what a VPS host and a fleet target both import.
 */
export function serviceImports(stack: Stack, host: Host): string[] {
  const imports = hostServiceModules(stack, host).map((module) => `../../modules/${module}`);
  if (host.tuning !== undefined) imports.push("../../modules/tuning.nix");
  if (Object.keys(hostSecretFiles(stack, host)).length) imports.push("../../modules/secrets.nix");
  return imports;
}
