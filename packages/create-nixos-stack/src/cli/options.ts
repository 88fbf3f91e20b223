/**
 * The options of `npm create nixos-stack`, as data: program.ts builds the commander program from
 * this table, and fast-args.ts parses the common command lines from it without loading commander.
 * Each prompt has a flag (create-vite's rule: flag, else prompt on a TTY, else default).
 */
import { DEFAULTS, NIXPKGS_RELEASES } from "@nixos-stack/core";

export interface CreateFlags {
  preset?: string;
  name?: string;
  admin?: string;
  /** Each --ssh-key given (it may be repeated). */
  sshKey?: string[];
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
  /** the flag may be given several times; its values are collected into a list */
  repeatable?: boolean;
}

/**
 * No value of these flags starts with '-': `--name --yes` is a flag whose value was forgotten, a
 * usage error naming the flag (exit 2), not a project called "--yes".
 */
export function notAFlagProblem(value: string): Error | undefined {
  return value.startsWith("-") ? new Error(`The flag needs a value right after it; "${value}" is another option.`) : undefined;
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
  { flags: "--admin <user>", description: `admin user name (default: ${DEFAULTS.adminName})` },
  { flags: "--ssh-key <path|key>", description: "the admin's SSH public key, or a .pub file (all its keys); repeat for more (default: ~/.ssh/id_ed25519.pub if present)", repeatable: true },
  { flags: "--ssh-port <port>", description: `SSH port on the servers (default: ${DEFAULTS.sshPort})`, parse: parsePort },
  { flags: "--time-zone <tz>", description: `time zone, a tz database name (default: ${DEFAULTS.timeZone})` },
  { flags: "--locale <locale>", description: `default locale (default: ${DEFAULTS.locale})` },
  { flags: "--nixpkgs <branch>", description: `nixpkgs branch: ${NIXPKGS_RELEASES.map((r) => r.branch).join(" or ")} (default: ${DEFAULTS.nixpkgsBranch})` },
  { flags: "--disk <device>", description: `the servers' whole disk, wiped by bootstrap.sh (default: ${DEFAULTS.diskDevice})` },
  { flags: "--address <ip|name>", description: "the server's address, so the scripts need no --host" },
  { flags: "--no-gateway", description: "leave out the gateway user service" },
  { flags: "-c, --config <file.json>", description: "a full nixos-stack.json, or a JSON object of answers (the flag names in camelCase)" },
  { flags: "-y, --yes", description: "accept the defaults for every question not answered by a flag", default: false },
  { flags: "--dry-run", description: "print the plan; write nothing", default: false },
  { flags: "-f, --force", description: "write into a non-empty directory, replacing files (including your edits)", default: false },
  { flags: "--no-git", description: "skip git init and the first commit" },
  { flags: "--sync", description: "re-render an existing repo from its nixos-stack.json (your files and hand edits are kept)", default: false },
];

/** Shown after --help: the subcommands run inside a generated repo. */
export const SUBCOMMANDS_HELP = "\nInside a generated repo:\n  create-nixos-stack add-target --name <name> [...]     add a host (see add-target --help)\n  create-nixos-stack remove-target --name <name>       remove one\n  create-nixos-stack add-service --kind <k> --host <h> --name <n> [...]   add a service (see add-service --help)\n  create-nixos-stack remove-service --host <h> --name <n>               remove one\n";
