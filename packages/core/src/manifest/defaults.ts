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
} as const;
