/**
 * What every subcommand shares: its repo directory, whether it may ask, and one mapping of
 * errors to messages and exit codes (0 done, 1 refused, 2 a malformed command line, 130 Ctrl-C).
 * The subcommands import this; run.ts, which loads them, imports them and this (no circle).
 */
import { resolve } from "node:path";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import type { EditReport } from "@nixos-stack/generators/edit";
import { exitCodeForError } from "../cli/exit-code.js";
import { colors, type Io } from "../io.js";
import type { Subcommand } from "./names.js";

export interface EditFlags {
  dir?: string;
  yes?: boolean;
  dryRun?: boolean;
}

/** A value that starts with '-' is the next flag, not this one's value (`--name --yes`). */
export function flagValue(flag: string) {
  return (value: string): string => {
    if (value.startsWith("-")) throw new InvalidArgumentError(`${flag} needs a value, and "${value}" looks like the next option.`);
    return value;
  };
}

/** A subcommand's commander program, reporting instead of exiting; `withRepoOptions` adds the shared options last. */
export function repoCommand(name: Subcommand, io: Io): Command {
  return new Command(`create-nixos-stack ${name}`)
    .showHelpAfterError("(run with --help for every option)")
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
}

export function withRepoOptions(cmd: Command): Command {
  return cmd
    .option("-C, --dir <dir>", "the nixos-stack repo (default: the current directory)", flagValue("--dir"))
    .option("--dry-run", "print the plan; write nothing")
    .option("-y, --yes", "ask nothing: flags and the repo's defaults only")
    .helpOption("-h, --help", "this help");
}

export const repoDir = (flags: EditFlags) => resolve(flags.dir ?? ".");

/** Questions only on a terminal and without --yes (create's rule), so a pipe or CI never hangs. */
export const isInteractive = (flags: EditFlags, io: Io) => flags.yes !== true && io.stdinIsTTY;

export function printReport(report: EditReport, io: Io): number {
  const c = colors(io);
  io.stdout.write(report.out);
  if (report.err) io.stderr.write(report.exitCode ? c.red(report.err) : c.yellow(report.err));
  return report.exitCode;
}

/** Prints an error the way `npm create nixos-stack` does and returns its exit code; rethrows a bug. */
export function exitCodeFor(err: unknown, io: Io): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
  return exitCodeForError(err, io);
}
