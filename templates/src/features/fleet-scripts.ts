import { FLEET_PROFILES, type Feature, type Stack } from "@nixos-stack/core";
import { rsyncSecretsFilter } from "./secrets-backends.js";

/** True when a host is one of the fleet's LAN machines (server, workstation, media). */
export function hasFleetTargets(stack: Stack): boolean {
  return stack.hosts.some((h) => (FLEET_PROFILES as readonly string[]).includes(h.profile));
}

/** What the fleet scripts read from deploy/inventory.sh besides the per-host basics; null for other stacks (their inventory stays as it was). */
export function fleetInventory(stack: Stack) {
  if (!hasFleetTargets(stack)) return null;
  return {
    name: stack.name,
    deployer: stack.deployer,
    sudo: stack.sudo,
    hosts: stack.hosts.map((h) => ({ name: h.name, user: h.deploy.user, tags: h.tags.join(" ") })),
  };
}

/**
 * The fleet's deploy scripts, run from any clone (no central server): deploy.sh (one target),
 * deploy-all.sh (in parallel, a summary), rollback.sh, status.sh and discover-targets.sh, with
 * their helpers in deploy/fleet-lib.sh and a guide for the chosen deployer.
 */
export const fleetScriptsFeature: Feature = {
  id: "fleet-scripts",
  applies: hasFleetTargets,
  files: (stack) => [
    { path: "deploy/fleet-lib.sh", template: "deploy/fleet-lib.sh", ownership: "managed", context: { secretsFilter: rsyncSecretsFilter(stack) } },
    { path: "deploy.sh", template: "deploy/deploy.sh", ownership: "managed", executable: true },
    { path: "deploy-all.sh", template: "deploy/deploy-all.sh", ownership: "managed", executable: true },
    { path: "rollback.sh", template: "deploy/rollback.sh", ownership: "managed", executable: true },
    { path: "status.sh", template: "deploy/status.sh", ownership: "managed", executable: true },
    { path: "discover-targets.sh", template: "deploy/discover-targets.sh", ownership: "managed", executable: true },
    { path: "deploy/README.md", template: "deploy/README.md", ownership: "managed", context: { guide: deployGuide(stack) } },
  ],
};

/** Which deployer's paragraphs deploy/README.md shows, decided here rather than compared in the template. */
function deployGuide(stack: Stack) {
  return {
    deployer: stack.deployer,
    sudo: stack.sudo,
    nixosRebuild: stack.deployer === "nixos-rebuild",
    deployRs: stack.deployer === "deploy-rs",
    colmena: stack.deployer === "colmena",
  };
}
