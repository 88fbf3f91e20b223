/** The command line → flags and directory: fast-args.ts for the common lines, commander (loaded only then) for the rest. */
import type { Io } from "../io.js";
import { VERSION } from "../version.js";
import { parseCommonArgs } from "./fast-args.js";
import type { CreateFlags } from "./options.js";

export interface CommandLine {
  flags: CreateFlags;
  directory: string | undefined;
}

/** @returns the parsed command line, or the exit code once commander has printed help, the version or an error. */
export async function parseCommandLine(argv: string[], io: Io): Promise<CommandLine | number> {
  const common = parseCommonArgs(argv.slice(2));
  if (common) return common;
  const { buildProgram, CommanderError } = await import("./program.js");
  const program = buildProgram(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  try {
    program.parse(argv);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  return { flags: program.opts<CreateFlags>(), directory: program.args[0] };
}
