/**
 * The options of `npm create nixos-stack`, as data: program.ts builds the commander program from
 * this table, and fast-args.ts parses the common command lines from it without loading commander.
 * Each prompt has a flag (create-vite's rule: flag, else prompt on a TTY, else default).
 */

export interface CreateFlags {
  preset?: string;
  name?: string;
  admin?: string;
  sshKey?: string;
  sshPort?: number;
  timeZone?: string;
  locale?: string;
  nixpkgs?: string;
  disk?: string;
  address?: string;
  gateway: boolean;
  config?: string;
  yes: boolean;
  dryRun: boolean;
  force: boolean;
  git: boolean;
  sync: boolean;
}

export interface CreateOption {
  /** commander's flags syntax: `-s, --long <value>`, `--long`, or `--no-thing` (true unless given) */
  flags: string;
  description: string;
  /** the value when the flag is absent (commander prints it in --help) */
  default?: boolean;
  /** checks and converts the option's value; returns an Error (its message is shown) for a bad one */
  parse?: (value: string) => unknown;
}

/** `--ssh-port`: a whole number 1–65535. */
export function parsePort(value: string): number | Error {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 65535) return new Error(`"${value}" is not a port (1–65535).`);
  return Number(value);
}

export const PROGRAM_NAME = "create-nixos-stack";
export const PROGRAM_DESCRIPTION = "Scaffold a deployable NixOS flake repository (nixos-stack).";
export const DIRECTORY_ARGUMENT = { name: "[directory]", description: "where to write the repo (default: my-infra; with --sync: the repo to re-sync, default .)" };

export const CREATE_OPTIONS: readonly CreateOption[] = [
  { flags: "-p, --preset <name>", description: "what to deploy: vps" },
  { flags: "--name <name>", description: "project name (default: from the directory)" },
  { flags: "--admin <user>", description: "admin user name (default: admin)" },
  { flags: "--ssh-key <path|key>", description: "the admin's SSH public key, or a path to a .pub file (default: ~/.ssh/id_ed25519.pub if present)" },
  { flags: "--ssh-port <port>", description: "SSH port on the servers (default: 2222)", parse: parsePort },
  { flags: "--time-zone <tz>", description: "time zone (default: UTC)" },
  { flags: "--locale <locale>", description: "default locale (default: en_US.UTF-8)" },
  { flags: "--nixpkgs <branch>", description: "nixpkgs branch: nixos-YY.MM or nixos-unstable (default: the current stable)" },
  { flags: "--disk <device>", description: "the servers' disk, wiped by bootstrap.sh (default: /dev/sda)" },
  { flags: "--address <ip|name>", description: "the server's address, so the scripts need no --host" },
  { flags: "--no-gateway", description: "leave out the gateway user service" },
  { flags: "-c, --config <file.json>", description: "a full nixos-stack.json, or a JSON object of answers (the flag names in camelCase)" },
  { flags: "-y, --yes", description: "accept the defaults for every question not answered by a flag", default: false },
  { flags: "--dry-run", description: "print the plan; write nothing", default: false },
  { flags: "-f, --force", description: "write into a non-empty directory, replacing files (including your edits)", default: false },
  { flags: "--no-git", description: "skip git init and the first commit" },
  { flags: "--sync", description: "re-render an existing repo from its nixos-stack.json (your files and hand edits are kept)", default: false },
];
