/**
 * Every default of nixos-stack, once. The zod schema, the CLI's --help, the generator's
 * prompts and the presets all read them from here (and the Nix modules get them through
 * the manifest, which always spells them out).
 */
import { DEFAULT_NIXPKGS_BRANCH } from "./releases.js";

export const DEFAULTS = {
  description: "NixOS machines managed with nixos-stack",
  adminName: "admin",
  /** Not 22: keeps the log free of the constant background scanning of port 22. */
  sshPort: 2222,
  timeZone: "UTC",
  locale: "en_US.UTF-8",
  nixpkgsBranch: DEFAULT_NIXPKGS_BRANCH,
  /** The first SCSI/SATA disk: what most cloud servers (and disko's examples) have. */
  diskDevice: "/dev/sda",
  system: "x86_64-linux",
  profile: "vps",
  secretsBackend: "env-file",
  gateway: { name: "gateway", user: "gateway", port: 18789 },
  /** Upstream's own ports (nixos/modules/services/monitoring: prometheus 9090, grafana 3000, node exporter 9100). */
  monitoring: {
    name: "monitoring",
    subdomain: "monitoring",
    prometheusPort: 9090,
    grafanaPort: 3000,
    nodeExporterPort: 9100,
    retention: "30d",
    alerts: { diskFreePercent: 10, memoryAvailablePercent: 10, certificateDays: 14, backupMaxAgeHours: 48 },
  },
  /**
   * A node-app: the environment variable each setting (and each secret the docs name) reaches
   * the app as. One CHAT_ prefix for everything the chat client reads, as CHAT_ENDPOINT_URL
   * always had; an app that reads other names maps them in `env` (nixos-stack.json). `build`:
   * buildNpmPackage runs `npm run build` (its npmBuildScript default), which a TypeScript app
   * needs; a plain JavaScript app without that script sets it false.
   */
  nodeApp: {
    env: {
      discordClientId: "DISCORD_CLIENT_ID",
      chatEndpointUrl: "CHAT_ENDPOINT_URL",
      model: "CHAT_MODEL",
      temperature: "CHAT_TEMPERATURE",
      maxTokens: "CHAT_MAX_TOKENS",
      discordToken: "DISCORD_TOKEN",
      apiKey: "CHAT_API_KEY",
    },
    build: true,
  },
  /** A week of dailies, a month of weeklies, half a year of monthlies. */
  backup: { name: "backup", schedule: "daily", compression: "auto,zstd", keep: { daily: 7, weekly: 4, monthly: 6 } },
} as const;
