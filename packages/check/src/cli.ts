/** `nixos-stack-check [dir]`: flags → runCheck → human or JSON report → exit code (0 sound, 1 findings, 2 could not run). */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import pc from "picocolors";
import { absoluteOverrides } from "./phases/flake/runners.js";
import { formatPhase, formatSummary, type Colors } from "./report/human.js";
import { jsonReport } from "./report/json.js";
import { CheckSetupError, runCheck } from "./run-check.js";
import { PHASES, type OverrideInput, type PhaseName, type RunnerName } from "./types.js";

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

interface CheckFlags {
  phase: PhaseName[];
  runner: RunnerName;
  build: boolean;
  overrideInput: OverrideInput[];
  json: boolean;
  color: boolean;
}

const VERSION = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;

function parsePhases(value: string, previous: PhaseName[] | undefined): PhaseName[] {
  const names = value.split(",").map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (!(PHASES as readonly string[]).includes(n)) throw new InvalidArgumentError(`"${n}" is not a phase: use ${PHASES.join(", ")} (comma-separated)`);
  return [...new Set([...(previous ?? []), ...(names as PhaseName[])])];
}

export function buildProgram(): Command {
  return new Command("nixos-stack-check")
    .description("Check a nixos-stack repo before it touches a server: manifest drift, static checks (Nix parse, shell, secrets, git), and `nix flake check`.")
    .argument("[dir]", "the repo to check", ".")
    .option("--phase <phases>", `run only these phases, comma-separated: ${PHASES.join(", ")} (default: all)`, parsePhases)
    .addOption(new Option("--runner <runner>", "how to run `nix flake check`: local nix, the nixos/nix Docker image, or auto (local, else docker)").choices(["auto", "local", "docker"]).default("auto"))
    .option("--build", "build the checks instead of only evaluating them (--no-build is the default)", false)
    .option(
      "--override-input <name> <path>",
      "use a local copy of a flake input (repeatable; for air-gapped machines)",
    )
    .option("--json", "print one JSON document with one record per finding", false)
    .option("--no-color", "no colours (they are also off when stdout is not a terminal or NO_COLOR is set)")
    .version(VERSION, "-v, --version")
    .helpOption("-h, --help")
    .addHelpText(
      "after",
      `
Exit codes: 0 sound, 1 findings (errors or warnings), 2 could not run (the reason is printed).

Examples:
  nixos-stack-check                          every phase, on the repo in this directory
  nixos-stack-check --phase manifest,static  no Nix evaluation (fast, no network)
  nixos-stack-check --runner docker          nix flake check in the nixos/nix image
  nixos-stack-check --override-input nixpkgs ~/src/nixpkgs`,
    )
    .showHelpAfterError("(run with --help for every option)")
    .allowExcessArguments(false);
}

/** `--override-input <name> <path>` pairs (commander options take one value, so these are read from argv directly). */
export function overrideInputsFromArgv(argv: readonly string[]): OverrideInput[] {
  const out: OverrideInput[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] !== "--override-input") continue;
    const name = argv[i + 1];
    const path = argv[i + 2];
    if (!name || !path || name.startsWith("-") || path.startsWith("--")) throw new InvalidArgumentError("--override-input needs two values: the input's name and a path (e.g. --override-input nixpkgs ~/src/nixpkgs)");
    out.push({ name, path });
    i += 2;
  }
  return out;
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const program = buildProgram()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  // commander has no two-argument options: take the pairs out before it parses
  let overrides: OverrideInput[];
  const rest: string[] = [];
  try {
    overrides = overrideInputsFromArgv(argv.slice(2));
    for (let i = 2; i < argv.length; i++) {
      if (argv[i] === "--override-input") i += 2;
      else rest.push(argv[i]!);
    }
    program.parse([argv[0] ?? "node", argv[1] ?? "nixos-stack-check", ...rest]);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof InvalidArgumentError) {
      io.stderr.write(`error: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const flags = program.opts<CheckFlags>();
  const dir = program.args[0] ?? ".";
  const c: Colors = pc.createColors(flags.color && Boolean(io.stdout.isTTY) && !("NO_COLOR" in io.env));
  const live = !flags.json && Boolean(io.stdout.isTTY);
  try {
    const result = await runCheck({
      dir: resolve(io.cwd, dir),
      phases: flags.phase,
      runner: flags.runner,
      build: flags.build,
      overrideInputs: absoluteOverrides(overrides, io.cwd),
      onPhaseStart: (phase) => {
        if (live) io.stdout.write(c.dim(`… ${phase}`));
      },
      onPhaseEnd: (p) => {
        if (flags.json) return;
        io.stdout.write(`${live ? "\r\u001b[K" : ""}${formatPhase(p, c)}\n`);
      },
    });
    io.stdout.write(flags.json ? jsonReport(result) : `\n${formatSummary(result, c)}\n`);
    return result.exitCode;
  } catch (err) {
    if (err instanceof CheckSetupError) {
      if (flags.json) io.stdout.write(`${JSON.stringify({ version: 1, exitCode: 2, error: err.message }, null, 2)}\n`);
      else io.stderr.write(`${c.red("error")}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
