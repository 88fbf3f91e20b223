/** The commander program: --help, --version, and every command line fast-args.ts leaves to it (errors included). */
import { Command, InvalidArgumentError, Option } from "commander";
import { CREATE_OPTIONS, DIRECTORY_ARGUMENT, notAFlagProblem, PROGRAM_DESCRIPTION, PROGRAM_NAME, SUBCOMMANDS_HELP, type CreateOption } from "./options.js";

export { CommanderError } from "commander";
export type { CreateFlags } from "./options.js";

function toOption(spec: CreateOption): Option {
  const option = new Option(spec.flags, spec.description);
  if (spec.default !== undefined) option.default(spec.default);
  const parse = spec.parse;
  if (spec.flags.endsWith(">")) {
    option.argParser((value: string, previous: unknown) => {
      const problem = notAFlagProblem(value);
      if (problem) throw new InvalidArgumentError(problem.message);
      const parsed = parse ? parse(value) : value;
      if (parsed instanceof Error) throw new InvalidArgumentError(parsed.message);
      return spec.repeatable ? [...((previous as unknown[] | undefined) ?? []), parsed] : parsed;
    });
  }
  return option;
}

export function buildProgram(version: string): Command {
  const program = new Command(PROGRAM_NAME).description(PROGRAM_DESCRIPTION).argument(DIRECTORY_ARGUMENT.name, DIRECTORY_ARGUMENT.description);
  for (const spec of CREATE_OPTIONS) program.addOption(toOption(spec));
  return program
    .version(version, "-v, --version")
    .helpOption("-h, --help")
    .addHelpText("after", SUBCOMMANDS_HELP)
    .showHelpAfterError("(run with --help for every option)")
    .allowExcessArguments(false);
}
