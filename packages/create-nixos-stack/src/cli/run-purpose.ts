import { isSubcommand } from "../commands/names.js";

/**
 * What a run is for, as the bin's code cache keys it (code-cache.ts): `help`, `version`, a
 * subcommand's name, or `create`. Runs of one purpose compile much the same functions, so each
 * purpose has an entry of its own, holding what that purpose compiled; a project's name is never
 * a purpose of its own (that would add an entry for every new name).
 */
export function runPurpose(args: readonly string[]): string {
  if (args.some((a) => a === "-h" || a === "--help")) return "help";
  if (args.some((a) => a === "-v" || a === "--version")) return "version";
  return isSubcommand(args[0]) ? args[0] : "create";
}
