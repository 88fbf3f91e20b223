/** Runs a subcommand (add-target, remove-target, add-service, …): loads its module, maps its errors to exit codes. */
import { useStreams, type Io } from "../io.js";
import type { Subcommand } from "./names.js";
import { exitCodeFor } from "./shared.js";

const COMMANDS: Record<Subcommand, () => Promise<{ run(args: string[], io: Io): Promise<number> }>> = {
  "add-target": () => import("./add-target.js"),
  "remove-target": () => import("./remove-target.js"),
  "add-service": () => import("./add-service.js"),
  "remove-service": () => import("./remove-service.js"),
  "add-instance": () => import("./add-instance.js"),
  "remove-instance": () => import("./remove-instance.js"),
};

export async function runSubcommand(name: Subcommand, args: string[], io: Io): Promise<number> {
  // a subcommand loads commander and node-plop, whose prompts and output use the process's streams
  useStreams(io);
  try {
    return await (await COMMANDS[name]()).run(args, io);
  } catch (err) {
    return exitCodeFor(err, io);
  }
}
