import type { Feature, Host, Stack } from "@nixos-stack/core";
import { hostServiceOptions, hostStackOptions } from "./context.js";
import { isFleetTarget } from "./fleet-targets.js";
import { serviceImports } from "./service-imports.js";

/** Module paths (relative to hosts/<name>/) a host imports, decided here rather than in the template. */
function hostImports(stack: Stack, host: Host): string[] {
  const imports = ["../../modules/system.nix", "../../modules/security.nix"];
  if (host.profile === "vps") imports.push("../../modules/disk.nix", "../../modules/profiles/vps.nix");
  return [...imports, ...serviceImports(stack, host)];
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
