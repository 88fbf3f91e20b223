/** Every flag of `npm create nixos-stack`; each prompt has one (create-vite's rule: flag, else prompt on a TTY, else default). */
import { Command, InvalidArgumentError, Option } from "commander";
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

/** --ssh-key may be given several times; each adds keys. */
const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * commander gives `--name --yes` the value "--yes"; no value of these flags starts with '-', so
 * that is a flag whose value was forgotten: a usage error naming the flag (exit 2), not a name.
 */
function notAFlag(value: string): string {
  if (value.startsWith("-")) throw new InvalidArgumentError(`The flag needs a value right after it; "${value}" is another option.`);
  return value;
}

function parsePort(value: string): number {
  notAFlag(value);
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 65535) {
    throw new InvalidArgumentError(`"${value}" is not a port (1–65535).`);
  }
  return Number(value);
}

export function buildProgram(version: string): Command {
  return new Command("create-nixos-stack")
    .description("Scaffold a deployable NixOS flake repository (nixos-stack).")
    .argument("[directory]", "where to write the repo (default: my-infra; with --sync: the repo to re-sync, default .)")
    .option("-p, --preset <name>", "what to deploy: vps", notAFlag)
    .option("--name <name>", "project name (default: from the directory)", notAFlag)
    .option("--admin <user>", `admin user name (default: ${DEFAULTS.adminName})`, notAFlag)
    .option("--ssh-key <path|key>", "the admin's SSH public key, or a .pub file (all its keys); repeat for more (default: ~/.ssh/id_ed25519.pub if present)", (v: string, prev?: string[]) => collect(notAFlag(v), prev))
    .option("--ssh-port <port>", `SSH port on the servers (default: ${DEFAULTS.sshPort})`, parsePort)
    .option("--time-zone <tz>", `time zone, a tz database name (default: ${DEFAULTS.timeZone})`, notAFlag)
    .option("--locale <locale>", `default locale (default: ${DEFAULTS.locale})`, notAFlag)
    .option("--nixpkgs <branch>", `nixpkgs branch: ${NIXPKGS_RELEASES.map((r) => r.branch).join(" or ")} (default: ${DEFAULTS.nixpkgsBranch})`, notAFlag)
    .option("--disk <device>", `the servers' whole disk, wiped by bootstrap.sh (default: ${DEFAULTS.diskDevice})`, notAFlag)
    .option("--address <ip|name>", "the server's address, so the scripts need no --host", notAFlag)
    .option("--no-gateway", "leave out the gateway user service")
    .option("-c, --config <file.json>", "a full nixos-stack.json, or a JSON object of answers (the flag names in camelCase)", notAFlag)
    .option("-y, --yes", "accept the defaults for every question not answered by a flag", false)
    .option("--dry-run", "print the plan; write nothing", false)
    .option("-f, --force", "write into a non-empty directory, replacing files (including your edits)", false)
    .option("--no-git", "skip git init and the first commit")
    .addOption(new Option("--sync", "re-render an existing repo from its nixos-stack.json (your files and hand edits are kept)").default(false))
    .version(version, "-v, --version")
    .helpOption("-h, --help")
    .addHelpText("after", "\nInside a generated repo:\n  create-nixos-stack add-target --name <name> [...]     add a host (see add-target --help)\n  create-nixos-stack remove-target --name <name>       remove one\n")
    .showHelpAfterError("(run with --help for every option)")
    .allowExcessArguments(false);
}
