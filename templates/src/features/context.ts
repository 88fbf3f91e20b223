/** Derived values the templates need, computed in TypeScript so templates stay close to the files they produce. */
import { type Host, type NixosSystem, type NixValue, type Stack } from "@nixos-stack/core";
import { containersHostOptions } from "./containers.js";
import { serviceKindOptions } from "./kind-options.js";
import { nodeAppHostOptions, nodeApps } from "./node-app.js";
import { homeManagerUrl, pinnedFlakeUrl } from "./upstream-pins.js";
import { webAppHostOptions, webApps } from "./web-app.js";
import { hostSecretFiles } from "../kinds/registry.js";

/** The short architecture names the deploy scripts accept (`--system x86|arm`). */
export const SYSTEM_ALIASES: Record<NixosSystem, string> = { "x86_64-linux": "x86", "aarch64-linux": "arm" };

/**
 * The flake inputs' URLs: nixpkgs follows its branch; the upstream flakes are pinned to the commits
 * of templates/pins/upstream-inputs.json (features/upstream-pins.ts), the trees CI evaluated.
 */
export function flakeInputs(stack: Stack) {
  return {
    nixpkgsUrl: `github:NixOS/nixpkgs/${stack.nixpkgs.branch}`,
    // the pinned commit of the home-manager branch matching the nixpkgs release (release-26.05, master)
    homeManagerUrl: homeManagerUrl(stack.nixpkgs.branch),
    diskoUrl: pinnedFlakeUrl("disko"),
    deployRsUrl: pinnedFlakeUrl("deploy-rs"),
    colmenaUrl: pinnedFlakeUrl("colmena"),
  };
}

/** The `stack.*` option values a host's managed module sets, as one Nix attrset. */
export function hostStackOptions(stack: Stack, host: Host) {
  return {
    admins: Object.fromEntries(stack.admins.map((a) => [a.name, { sshKeys: a.sshKeys }])),
    disk: { device: host.disk.device },
    security: { sshPort: host.deploy.sshPort, autoUpgrade: host.deploy.autoUpgrade },
    ...serviceStackOptions(stack, host),
  };
}

/** The `stack.*` values of a host's services, tuning and secrets: what a fleet target's default.nix sets too. */
export function serviceStackOptions(stack: Stack, host: Host) {
  const gateways = host.services.filter((s) => s.kind === "gateway");
  const secretFiles = hostSecretFiles(stack, host);
  return {
    ...(Object.keys(secretFiles).length ? { secrets: { files: { ...secretFiles } } } : {}),
    ...(gateways.length ? { gateway: { instances: Object.fromEntries(gateways.map((g) => [g.name, { user: g.user, port: g.port }])) } } : {}),
    ...serviceKindOptions(stack, host),
    ...containersHostOptions(stack, host),
  };
}

/** The `services.<name>` values a host's managed module sets: one entry per system-service kind instance with its own module. */
export function hostServiceOptions(host: Host): Record<string, NixValue> | null {
  const entries = [...nodeApps(host).map((app) => [app.name, nodeAppHostOptions(app)] as const), ...webApps(host).map((app) => [app.name, webAppHostOptions(app)] as const)];
  return entries.length ? Object.fromEntries(entries) : null;
}

export function hasService(host: Host, kind: string): boolean {
  return host.services.some((s) => s.kind === kind);
}
