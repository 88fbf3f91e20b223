import type { Feature, Host, Stack } from "@nixos-stack/core";
import { hasService, hostServiceOptions, hostStackOptions } from "./context.js";
import { isFleetTarget } from "./fleet-targets.js";
import { nodeApps } from "./node-app.js";
import { hostSecretFiles } from "./secret-files.js";

/** Module paths (relative to hosts/<name>/) a host imports, decided here rather than in the template. */
function hostImports(stack: Stack, host: Host): string[] {
  const imports = ["../../modules/system.nix", "../../modules/security.nix"];
  if (host.profile === "vps") imports.push("../../modules/disk.nix", "../../modules/profiles/vps.nix");
  if (hasService(host, "gateway")) imports.push("../../modules/services/gateway.nix");
  if (hasService(host, "home-service")) imports.push("../../modules/services/home-service.nix");
  if (hasService(host, "monitoring")) imports.push("../../modules/services/monitoring.nix");
  if (hasService(host, "containers")) imports.push("../../modules/services/containers.nix");
  if (hasService(host, "backup")) imports.push("../../modules/services/backup.nix");
  if (host.tuning !== undefined) imports.push("../../modules/tuning.nix");
  for (const app of nodeApps(host)) imports.push(`../../modules/services/${app.name}.nix`);
  if (Object.keys(hostSecretFiles(stack, host)).length) imports.push("../../modules/secrets.nix");
  return imports;
}

export const hostsFeature: Feature = {
  id: "hosts",
  applies: (stack) => stack.hosts.some((host) => !isFleetTarget(host)),
  files: (stack: Stack) =>
    stack.hosts.filter((host) => !isFleetTarget(host)).flatMap((host) => [
      {
        path: `hosts/${host.name}/default.nix`,
        template: "hosts/default.nix",
        ownership: "managed" as const,
        context: { host, imports: hostImports(stack, host), options: hostStackOptions(stack, host), services: hostServiceOptions(host) },
      },
      { path: `hosts/${host.name}/configuration.nix`, template: "hosts/configuration.nix", ownership: "scaffold" as const, context: { host } },
    ]),
};
