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
  /** A week of dailies, a month of weeklies, half a year of monthlies. */
  backup: { name: "backup", schedule: "daily", compression: "auto,zstd", keep: { daily: 7, weekly: 4, monthly: 6 } },
} as const;
