import { FLEET_PROFILES, type Feature, type Host, type Stack } from "@nixos-stack/core";
import { hostServiceOptions, serviceStackOptions } from "./context.js";
import { serviceImports } from "./service-imports.js";

export type FleetProfile = (typeof FLEET_PROFILES)[number];

export function isFleetTarget(host: Host): host is Host & { profile: FleetProfile } {
  return (FLEET_PROFILES as readonly string[]).includes(host.profile);
}

/** Groups a profile gives the primary user, mirrored by modules/profiles/<profile>.nix (stack.profileGroups). */
export const PROFILE_GROUPS: Record<FleetProfile, readonly string[]> = {
  server: [],
  workstation: ["networkmanager", "audio", "video"],
  media: ["video", "render", "audio"],
};

/** The value of users.users in targets/common/users.nix: every admin, wheel, their keys; the primary user's details. */
export function fleetAccounts(stack: Stack) {
  return Object.fromEntries(
    stack.admins.map((admin, i) => {
      const primary = i === 0;
      return [
        admin.name,
        {
          isNormalUser: true,
          ...(admin.description !== undefined ? { description: admin.description } : {}),
          extraGroups: ["wheel", ...admin.extraGroups.filter((g) => g !== "wheel")],
          openssh: { authorizedKeys: { keys: admin.sshKeys } },
          // only with sudo "password" (the schema refuses them otherwise); the docs warn that
          // initialPassword lands in the world-readable store
          ...(primary && admin.initialPassword !== undefined ? { initialPassword: admin.initialPassword } : {}),
          ...(primary && admin.hashedPasswordFile !== undefined ? { hashedPasswordFile: admin.hashedPasswordFile } : {}),
        },
      ];
    }),
  );
}

/** How this repo deploys one target, for the READMEs. */
export function deployCommand(host: Host): string {
  return `./deploy.sh ${host.name}`;
}

/**
 * The LAN fleet's machines (profiles server, workstation, media) under targets/<name>/:
 * default.nix (managed: identity and imports), configuration.nix and README.md (the user's),
 * the shared targets/common/{base,users}.nix and the profile modules the fleet uses.
 */
export const fleetTargetsFeature: Feature = {
  id: "fleet-targets",
  applies: (stack) => stack.hosts.some(isFleetTarget),
  files: (stack: Stack) => {
    const targets = stack.hosts.filter(isFleetTarget);
    const profiles = [...new Set(targets.map((t) => t.profile))].sort();
    const primary = stack.admins[0]!;
    return [
      ...(["bootstrap", "troubleshooting", "recovery"] as const).map((doc) => ({
        path: `docs/${doc}.md`,
        template: `docs/fleet/${doc}.md`,
        ownership: "managed" as const,
        context: {
          primary: primary.name,
          passwordSudo: stack.sudo === "password",
          deployRs: stack.deployer === "deploy-rs",
          native: stack.deployer !== "nixos-rebuild",
          targetNames: targets.map((t) => t.name),
          targetList: targets.map((t) => `${t.name} (${t.profile})`).join(", "),
        },
      })),
      { path: "targets/common/base.nix", template: "targets/base.nix", ownership: "managed" as const },
      {
        path: "targets/common/users.nix",
        template: "targets/users.nix",
        ownership: "managed" as const,
        context: {
          accounts: fleetAccounts(stack),
          primary: primary.name,
          shell: primary.shell === "bash" ? null : primary.shell,
          passwordSudo: stack.sudo === "password",
        },
      },
      ...profiles.map((profile) => ({ path: `modules/profiles/${profile}.nix`, template: `profiles/${profile}.nix`, ownership: "managed" as const })),
      ...targets.flatMap((host) => [
        {
          path: `targets/${host.name}/default.nix`,
          template: "targets/default.nix",
          ownership: "managed" as const,
          context: {
            host,
            profileModule: `../../modules/profiles/${host.profile}.nix`,
            // the target's services, as on a VPS host (hosts.ts, context.ts)
            serviceImports: serviceImports(stack, host),
            options: nonEmpty(serviceStackOptions(stack, host)),
            services: hostServiceOptions(host),
          },
        },
        {
          path: `targets/${host.name}/configuration.nix`,
          template: "targets/configuration.nix",
          ownership: "scaffold" as const,
          context: { host, networkManager: host.profile === "workstation", examples: PROFILE_EXAMPLES[host.profile] },
        },
        {
          path: `targets/${host.name}/README.md`,
          template: "targets/README.md",
          ownership: "scaffold" as const,
          context: { host, address: host.deploy.address ?? host.name, tags: host.tags.join(", "), deployCommand: deployCommand(host) },
        },
      ]),
    ];
  },
};

/** A hint in each configuration.nix of what such a machine usually runs. */
const PROFILE_EXAMPLES: Record<FleetProfile, string> = {
  server: "services.postgresql.enable = true; pkgs.tmux",
  workstation: "services.desktopManager.plasma6.enable = true; pkgs.firefox",
  media: "services.jellyfin.enable = true; pkgs.mpv",
};

const nonEmpty = <T extends object>(value: T): T | null => (Object.keys(value).length ? value : null);
