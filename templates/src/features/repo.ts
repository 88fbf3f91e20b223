import { SCHEMA_FILE, type Feature, type Stack } from "@nixos-stack/core";
import { SYSTEM_ALIASES } from "./context.js";
import { hasFleetTargets } from "./fleet-scripts.js";
import { isEncryptedBackend } from "../kinds/kind.js";
import { hasVpsHosts } from "./vps-profile.js";
import { stackNodeApps } from "./node-app.js";
import { usesRequireEnvFile } from "./require-env-file.js";
import { architecture } from "./architecture.js";
import { JSON_SCHEMA_TEXT } from "./json-schema-text.js";

/** The manifest as written: `$schema` first, then the normalised stack with every default spelled out, admins and hosts last. */
export function manifestText(stack: Stack): string {
  // the hosts last: the longest part, and where add-target appends
  const { $schema: _ignored, admins, hosts, ...rest } = stack;
  return `${JSON.stringify({ $schema: `./${SCHEMA_FILE}`, ...rest, admins, hosts }, null, 2)}\n`;
}

export const repoFeature: Feature = {
  id: "repo",
  applies: () => true,
  files: (stack) => [
    // the manifest is the user's input: written once, then edited by them (sync reads it, never rewrites it)
    { path: "nixos-stack.json", content: manifestText(stack), ownership: "scaffold" },
    { path: SCHEMA_FILE, content: JSON_SCHEMA_TEXT, ownership: "managed" },
    { path: ".gitignore", template: "repo/gitignore", ownership: "scaffold", context: { secretsBackend: { [stack.secrets.backend]: true } } },
    { path: "secrets/.gitkeep", content: "", ownership: "scaffold" },
    { path: "README.md", template: "repo/README.md", ownership: "managed", context: { readme: readmeContext(stack) } },
  ],
};

function readmeContext(stack: Stack) {
  return {
    hosts: stack.hosts.map((h) => ({
      name: h.name,
      system: h.system,
      arch: SYSTEM_ALIASES[h.system],
      sshPort: h.deploy.sshPort,
      profile: h.profile,
      tags: h.tags.join(", ") || "—",
      login: `${h.deploy.user}:${h.deploy.sshPort}`,
      address: h.deploy.address ?? "(pass --host)",
      services: h.services.map((s) => `${s.kind}:${s.name}`).join(", ") || "—",
    })),
    firstArch: SYSTEM_ALIASES[stack.hosts[0]!.system],
    vps: hasVpsHosts(stack),
    architecture: architecture(stack),
    gateway: stack.hosts.some((h) => h.services.some((s) => s.kind === "gateway")),
    fleet: fleetReadme(stack),
    layoutFiles: layoutFileRows(stack),
    userConfig: hasVpsHosts(stack) ? "hosts/NAME/configuration.nix" : "targets/NAME/configuration.nix",
    kindFiles: kindFileRows(stack),
    nodeApps: stackNodeApps(stack).length > 0,
    githubActions: stack.ci.github,
    encryptedSecrets: isEncryptedBackend(stack.secrets.backend) ? stack.secrets.backend : false,
  };
}

/** The fleet section's values, or false for a repo without LAN targets. */
function fleetReadme(stack: Stack) {
  if (!hasFleetTargets(stack)) return false;
  const verb = { "nixos-rebuild": "deploy.sh: nixos-rebuild --target-host", "deploy-rs": "deploy.sh: deploy-rs (magic rollback)", colmena: "deploy.sh: colmena apply --on" }[stack.deployer];
  return {
    deployer: stack.deployer,
    sudo: stack.sudo,
    verb,
    // mermaid node ids are t0, t1…; the labels go through the mermaid helper in the template
    targets: stack.hosts.map((h, i) => ({ id: `t${i}`, name: h.name, kind: h.tags.length ? `${h.profile} · ${h.tags.join(", ")}` : h.profile, address: h.deploy.address ?? "no address yet" })),
  };
}

/** The Files table's rows for the repo's layout: a VPS's hosts/ and modules, a fleet's targets/, or both. */
function layoutFileRows(stack: Stack): Array<{ path: string; what: string; owner: string }> {
  const vps = hasVpsHosts(stack);
  const fleet = hasFleetTargets(stack);
  const inputs = ["nixpkgs", ...(vps ? ["disko", "home-manager"] : []), ...(stack.deployer === "deploy-rs" ? ["deploy-rs"] : stack.deployer === "colmena" ? ["colmena"] : [])].join(", ");
  const has = (kind: string) => stack.hosts.some((h) => h.services.some((s) => s.kind === kind));
  return [
    { path: "flake.nix", what: `inputs (${inputs}), one nixosConfigurations entry per host, checks, formatter, devShell`, owner: "generated" },
    { path: "checks/vm-tests.nix", what: "a NixOS VM test per host: boots it and waits for its units and ports", owner: "generated" },
    { path: "modules/lib/vm-test-expectations.nix", what: "what a host's VM test waits for; each service module adds its own", owner: "generated" },
    ...(stack.ci.github ? [{ path: ".github/workflows/check.yml", what: "GitHub Actions: nix flake check (VM tests included) and each host evaluated by name", owner: "generated" }] : []),
    ...(vps
      ? [
          { path: "hosts/NAME/default.nix", what: "the host's values from the manifest", owner: "generated" },
          { path: "hosts/NAME/configuration.nix", what: "your settings for that host", owner: "you" },
          { path: "modules/system.nix", what: "admins, root keys, Nix settings, garbage collection", owner: "generated" },
          { path: "modules/security.nix", what: "SSH (key-only, custom port), firewall, fail2ban option, daily auto-upgrade", owner: "generated" },
          { path: "modules/disk.nix", what: "disko layout: BIOS boot + ESP + ext4 root, GRUB for BIOS and UEFI", owner: "generated" },
          { path: "modules/profiles/vps.nix", what: "QEMU/KVM guest drivers", owner: "generated" },
        ]
      : []),
    ...(has("gateway") ? [{ path: "modules/services/gateway.nix", what: "the gateway user service (home-manager), its user and lingering", owner: "generated" }] : []),
    ...(fleet
      ? [
          { path: "targets/NAME/default.nix", what: "the target's values from the manifest: host name, profile, commit it runs", owner: "generated" },
          { path: "targets/NAME/configuration.nix", what: "your settings for that machine: boot loader, file systems, services, packages", owner: "you" },
          { path: "targets/NAME/README.md", what: "hardware notes and manual steps for that machine", owner: "you" },
          { path: "targets/NAME/hardware-configuration.nix", what: "from nixos-generate-config on that machine; imported when present", owner: "you" },
          { path: "targets/common/base.nix", what: "flakes, store optimisation, GC, key-only SSH, firewall, time zone and locale", owner: "generated" },
          { path: "targets/common/users.nix", what: "the primary user, its groups and keys, sudo", owner: "generated" },
          { path: "modules/profiles/PROFILE.nix", what: "what a server, workstation or media profile adds", owner: "generated" },
          { path: "deploy.sh, deploy-all.sh, rollback.sh, status.sh, discover-targets.sh", what: "the fleet's scripts (see deploy/README.md)", owner: "generated" },
          { path: "docs/", what: "bootstrap, troubleshooting and recovery guides", owner: "generated" },
        ]
      : []),
    { path: vps ? "bootstrap.sh, update.sh, deploy/" : "deploy/", what: vps ? "install and update scripts, host inventory" : "host inventory and the scripts' shared code", owner: "generated" },
  ];
}

const REQUIRE_SECRET_ROW = { path: "modules/lib/require-secret.nix", what: "the start check of a unit that reads a secret: skipped with one journal line while the file is missing" };

/** README rows for the files of the monitoring, backup, home-service kinds and host tuning, when the repo has them. */
/** README rows for the files of the monitoring, backup, home-service and node-app kinds and host tuning, when the repo has them. */
function kindFileRows(stack: Stack): Array<{ path: string; what: string }> {
  const has = (kind: string) => stack.hosts.some((h) => h.services.some((s) => s.kind === kind));
  return [
    ...(has("home-service") ? [{ path: "modules/services/home-service.nix", what: "home-manager user services running your commands, their users and lingering" }] : []),
    ...(has("monitoring")
      ? [
          { path: "modules/services/monitoring.nix", what: "Prometheus, Grafana (secrets from files) behind nginx + ACME" },
          { path: "modules/services/node-exporter.nix", what: "the node exporter and its textfile metrics (certificate expiry, last backup)" },
          REQUIRE_SECRET_ROW,
          { path: "modules/services/monitoring/NAME.rules.json", what: "the alert rules, from the service's thresholds" },
          { path: "docs/services/monitoring.md", what: "Grafana's secrets, the alerts, checks" },
        ]
      : []),
    ...(has("backup")
      ? [
          { path: "modules/services/backup.nix", what: "BorgBackup jobs of every stateful path" },
          { path: "docs/services/backup.md", what: "backup and restore procedure, restore drill" },
        ]
      : []),
    ...(has("node-app")
      ? [
          { path: "modules/services/NAME.nix", what: "a node-app: its hardened system service, user, limits and companion unit" },
          { path: "docs/services/NAME.md", what: "a node-app's options, secrets, logs and troubleshooting" },
        ]
      : []),
    ...(has("containers")
      ? [
          { path: "modules/services/containers.nix", what: "nixos-containers: data (PostgreSQL, Redis, NATS, Qdrant), your services, monitoring; NAT, limits, nginx + ACME" },
          ...(has("monitoring") ? [] : [REQUIRE_SECRET_ROW]),
          { path: "docs/services/containers.md", what: "the containers' diagram, addresses and ports; management, recovery, tuning, troubleshooting" },
          { path: "scripts/health-check.sh", what: "checks every container, service, port, certificate and the last backup (--json, --ssh)" },
        ]
      : []),
    ...(has("web-app")
      ? [
          { path: "modules/services/APP.nix", what: "a web-app: a hardened service, nginx vhost + ACME and PostgreSQL database per instance, backups" },
          { path: "docs/services/APP.md", what: "a web-app's options, adding instances, checks, troubleshooting and rollback" },
          { path: "pkgs/APP/ (default.nix, frontend/)", what: "a web-app's backend recipe and shared frontend, placeholders to replace (yours)" },
        ]
      : []),
    ...(usesRequireEnvFile(stack)
      ? [{ path: "modules/lib/require-env-file.sh, .nix", what: "the start check of every system service that reads a secrets file: until it exists, one clear log line, not a crash loop" }]
      : []),
    ...(stack.hosts.some((h) => h.tuning !== undefined)
      ? [
          { path: "modules/tuning.nix", what: "sysctl values and open-file limits (hosts[].tuning)" },
          { path: "docs/performance-tuning.md", what: "what each tuning knob does, values to start from, how to check" },
        ]
      : []),
  ];
}
