/**
 * The options of `npm create nixos-stack`, as data: program.ts builds the commander program from
 * this table, and fast-args.ts parses the common command lines from it without loading commander.
 * Each prompt has a flag (create-vite's rule: flag, else prompt on a TTY, else default).
 */
import { DEFAULTS, DEPLOYERS, NIXPKGS_RELEASES, SHELLS, SUDO_MODES } from "@nixos-stack/core";
import type { FleetTargetAnswer } from "@nixos-stack/templates";

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
  /** fleet: the primary user (the same answer as --admin) and its details */
  user?: string;
  userDescription?: string;
  userGroups?: string[];
  shell?: string;
  sudo?: string;
  deployer?: string;
  /** Each --target given (fleet; it may be repeated). */
  target?: FleetTargetAnswer[];
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

/** A choice among fixed values (`--shell`, `--sudo`, `--deployer`). */
export function parseChoice(choices: readonly string[]) {
  return (value: string): string | Error => (choices.includes(value) ? value : new Error(`"${value}" is not one of ${choices.join(", ")}.`));
}

/** `--user-groups a,b`: comma-separated group names (the manifest checks each). */
export function parseList(value: string): string[] {
  return value.split(",").map((v) => v.trim()).filter(Boolean);
}

const TARGET_KEYS = ["name", "system", "address", "profile", "tags", "user", "port"] as const;

/**
 * `--target name=lab-server,profile=server,address=192.168.1.10,tags=lab+always-on,user=alice,port=22,system=x86_64-linux`:
 * one fleet target; only name is required. The manifest validates each value and names the field.
 */
export function parseTarget(value: string): FleetTargetAnswer | Error {
  const target: Record<string, unknown> = {};
  for (const pair of value.split(",")) {
    const eq = pair.indexOf("=");
    const key = pair.slice(0, eq).trim();
    const val = pair.slice(eq + 1).trim();
    if (eq < 1 || !(TARGET_KEYS as readonly string[]).includes(key)) return new Error(`"${pair}" is not key=value with a key among ${TARGET_KEYS.join(", ")} (e.g. name=lab-server,profile=server,tags=lab+always-on).`);
    if (key in target) return new Error(`${key} is given twice.`);
    if (key === "port") {
      const port = parsePort(val);
      if (port instanceof Error) return port;
      target.port = port;
    } else target[key] = key === "tags" ? val.split("+").filter(Boolean) : val;
  }
  if (typeof target.name !== "string" || !target.name) return new Error("name= is required (e.g. name=lab-server,profile=server).");
  return target as unknown as FleetTargetAnswer;
}

export const PROGRAM_NAME = "create-nixos-stack";
export const PROGRAM_DESCRIPTION = "Scaffold a deployable NixOS flake repository (nixos-stack).";
export const DIRECTORY_ARGUMENT = { name: "[directory]", description: "where to write the repo (default: my-infra; with --sync: the repo to re-sync, default .)" };

export const CREATE_OPTIONS: readonly CreateOption[] = [
  { flags: "-p, --preset <name>", description: "what to deploy: vps, or fleet (several machines on a LAN)" },
  { flags: "--name <name>", description: "project name (default: from the directory)" },
  { flags: "--admin <user>", description: `admin user name (default: ${DEFAULTS.adminName})` },
  { flags: "--ssh-key <path|key>", description: "the admin's SSH public key, or a .pub file (all its keys); repeat for more (default: ~/.ssh/id_ed25519.pub if present)", repeatable: true },
  { flags: "--ssh-port <port>", description: `SSH port on the servers (default: ${DEFAULTS.sshPort} on a VPS, 22 in a fleet)`, parse: parsePort },
  { flags: "--time-zone <tz>", description: `time zone, a tz database name (default: ${DEFAULTS.timeZone})` },
  { flags: "--locale <locale>", description: `default locale (default: ${DEFAULTS.locale})` },
  { flags: "--nixpkgs <branch>", description: `nixpkgs branch: ${NIXPKGS_RELEASES.map((r) => r.branch).join(" or ")} (default: ${DEFAULTS.nixpkgsBranch})` },
  { flags: "--disk <device>", description: `the servers' whole disk, wiped by bootstrap.sh (default: ${DEFAULTS.diskDevice})` },
  { flags: "--address <ip|name>", description: "the server's address, so the scripts need no --host" },
  { flags: "--no-gateway", description: "leave out the gateway user service" },
  { flags: "--user <name>", description: "fleet: the primary user (same as --admin)" },
  { flags: "--user-description <text>", description: "fleet: the primary user's full name" },
  { flags: "--user-groups <a,b>", description: "fleet: extra groups of the primary user, comma-separated (the profile adds its own)", parse: parseList },
  { flags: "--shell <shell>", description: `fleet: the primary user's login shell: ${SHELLS.join(", ")} (default: bash)`, parse: parseChoice(SHELLS) },
  { flags: "--sudo <mode>", description: `how sudo asks: ${SUDO_MODES.join(" or ")} (default: nopasswd; password: docs/bootstrap.md says when to set it)`, parse: parseChoice(SUDO_MODES) },
  { flags: "--deployer <tool>", description: `fleet: ${DEPLOYERS.join(", ")} (default: nixos-rebuild)`, parse: parseChoice(DEPLOYERS) },
  { flags: "--target <spec>", description: "fleet: a target, name=NAME[,profile=server|workstation|media][,address=…][,tags=a+b][,user=…][,port=22][,system=…]; repeat for more (default: lab-server, dev-workstation, media-center)", repeatable: true, parse: parseTarget },
  { flags: "-c, --config <file.json>", description: "a full nixos-stack.json, or a JSON object of answers (the flag names in camelCase)" },
  { flags: "-y, --yes", description: "accept the defaults for every question not answered by a flag", default: false },
  { flags: "--dry-run", description: "print the plan; write nothing", default: false },
  { flags: "-f, --force", description: "write into a non-empty directory, replacing files (including your edits)", default: false },
  { flags: "--no-git", description: "skip git init and the first commit" },
  { flags: "--sync", description: "re-render an existing repo from its nixos-stack.json (your files and hand edits are kept)", default: false },
];

/** Shown after --help: the subcommands run inside a generated repo. */
export const SUBCOMMANDS_HELP = "\nInside a generated repo:\n  create-nixos-stack add-target --name <name> [...]     add a host (see add-target --help)\n  create-nixos-stack remove-target --name <name>       remove one\n  create-nixos-stack add-service --kind <k> --host <h> --name <n> [...]   add a service (see add-service --help)\n  create-nixos-stack remove-service --host <h> --name <n>               remove one\n  create-nixos-stack add-instance --service <app> --name <n> [--port p]  add a web-app instance (remove-instance: the reverse)\n";
