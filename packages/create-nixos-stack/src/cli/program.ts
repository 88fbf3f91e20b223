/** The commander program: --help, --version, and every command line fast-args.ts leaves to it (errors included). */
import { Command, InvalidArgumentError, Option } from "commander";
import { CREATE_OPTIONS, DIRECTORY_ARGUMENT, PROGRAM_DESCRIPTION, PROGRAM_NAME, type CreateOption } from "./options.js";

export { CommanderError } from "commander";
export type { CreateFlags } from "./options.js";

function toOption(spec: CreateOption): Option {
  const option = new Option(spec.flags, spec.description);
  if (spec.default !== undefined) option.default(spec.default);
  const parse = spec.parse;
  if (parse) {
    option.argParser((value: string) => {
      const parsed = parse(value);
      if (parsed instanceof Error) throw new InvalidArgumentError(parsed.message);
      return parsed;
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
    .showHelpAfterError("(run with --help for every option)")
    .allowExcessArguments(false);
}
