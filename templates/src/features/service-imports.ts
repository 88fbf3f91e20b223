import type { Host, Stack } from "@nixos-stack/core";
import { hasService } from "./context.js";
import { nodeApps } from "./node-app.js";
import { hostSecretFiles } from "./secret-files.js";
import { webApps } from "./web-app.js";

/**
 * The modules of a host's services, its tuning and its secrets (relative to hosts/<name>/ and
 * targets/<name>/ alike): what a VPS host and a fleet target both import.
 */
export function serviceImports(stack: Stack, host: Host): string[] {
  const imports: string[] = [];
  if (hasService(host, "gateway")) imports.push("../../modules/services/gateway.nix");
  if (hasService(host, "home-service")) imports.push("../../modules/services/home-service.nix");
  if (hasService(host, "monitoring")) imports.push("../../modules/services/monitoring.nix");
  if (hasService(host, "containers")) imports.push("../../modules/services/containers.nix");
  if (hasService(host, "backup")) imports.push("../../modules/services/backup.nix");
  if (host.tuning !== undefined) imports.push("../../modules/tuning.nix");
  for (const app of [...nodeApps(host), ...webApps(host)]) imports.push(`../../modules/services/${app.name}.nix`);
  if (Object.keys(hostSecretFiles(stack, host)).length) imports.push("../../modules/secrets.nix");
  return imports;
}
