import { isSubcommand } from "../commands/names.js";

/**
 * What a run is for, as the bin's code cache records it (code-cache.ts): `help`, `version`, a
 * subcommand's name, or `create`. Runs of one purpose compile much the same functions, so an entry
 * of the code cache is written again only for a purpose it has not seen; a project's name is never
 * a purpose of its own (that would rewrite the cache for every new name).
 */
export function runPurpose(args: readonly string[]): string {
  if (args.some((a) => a === "-h" || a === "--help")) return "help";
  if (args.some((a) => a === "-v" || a === "--version")) return "version";
  return isSubcommand(args[0]) ? args[0] : "create";
}
