import { SCHEMA_FILE, type Feature, type Stack } from "@nixos-stack/core";
import { SYSTEM_ALIASES } from "./context.js";
import { isEncryptedBackend } from "./secret-files.js";
import { stackNodeApps } from "./node-app.js";
// The committed JSON Schema (a test in core keeps it equal to the zod schema); reading it
// instead of regenerating it keeps zod's toJSONSchema off the scaffolding path.
import jsonSchema from "@nixos-stack/core/schema.json" with { type: "json" };

const JSON_SCHEMA_TEXT = `${JSON.stringify(jsonSchema, null, 2)}\n`;

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
      address: h.deploy.address ?? "(pass --host)",
      services: h.services.map((s) => `${s.kind}:${s.name}`).join(", ") || "—",
    })),
    firstArch: SYSTEM_ALIASES[stack.hosts[0]!.system],
    kindFiles: kindFileRows(stack),
    nodeApps: stackNodeApps(stack).length > 0,
    encryptedSecrets: isEncryptedBackend(stack.secrets.backend) ? stack.secrets.backend : false,
  };
}

/** README rows for the files of the monitoring, backup, home-service and node-app kinds and host tuning, when the repo has them. */
function kindFileRows(stack: Stack): Array<{ path: string; what: string }> {
  const has = (kind: string) => stack.hosts.some((h) => h.services.some((s) => s.kind === kind));
  return [
    ...(has("home-service") ? [{ path: "modules/services/home-service.nix", what: "home-manager user services running your commands, their users and lingering" }] : []),
    ...(has("monitoring")
      ? [
          { path: "modules/services/monitoring.nix", what: "Prometheus, Grafana (secrets from files) behind nginx + ACME" },
          { path: "modules/services/node-exporter.nix", what: "the node exporter and its textfile metrics (certificate expiry, last backup)" },
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
          { path: "modules/lib/require-env-file.sh", what: "the node-apps' start check: a missing secrets file is one clear log line, not a crash loop" },
        ]
      : []),
    ...(stack.hosts.some((h) => h.tuning !== undefined)
      ? [
          { path: "modules/tuning.nix", what: "sysctl values and open-file limits (hosts[].tuning)" },
          { path: "docs/performance-tuning.md", what: "what each tuning knob does, values to start from, how to check" },
        ]
      : []),
  ];
}
