/** `create-nixos-stack remove-instance --service <app> --name <n>`: the reverse of add-instance (the database stays). */
import { formatEditResult, removeInstance } from "@nixos-stack/generators/edit";
import type { Io } from "../io.js";
import { flagValue, printReport, repoCommand, repoDir, withRepoOptions, type EditFlags } from "./shared.js";

interface RemoveInstanceFlags extends EditFlags {
  service?: string;
  host?: string;
  name?: string;
}

export async function run(args: string[], io: Io): Promise<number> {
  const cmd = withRepoOptions(
    repoCommand("remove-instance", io)
      .description("Remove an instance from a web-app service (its database is kept).")
      .option("--service <app>", "the web-app service (required)", flagValue("--service"))
      .option("--name <name>", "the instance to remove (required)", flagValue("--name"))
      .option("--host <host>", "the host, when several run a service of that name", flagValue("--host")),
  );
  cmd.parse(args, { from: "user" });
  const flags = cmd.opts<RemoveInstanceFlags>();
  if (flags.service === undefined || flags.name === undefined) cmd.error("error: --service and --name are required", { exitCode: 2 });
  const result = await removeInstance(repoDir(flags), { service: flags.service!, name: flags.name!, ...(flags.host !== undefined ? { host: flags.host } : {}) }, { dryRun: flags.dryRun });
  return printReport(formatEditResult(result, { dryRun: flags.dryRun }), io);
}
