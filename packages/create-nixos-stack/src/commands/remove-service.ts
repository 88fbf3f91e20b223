/**
 * `create-nixos-stack remove-service`: the reverse of add-service. The service leaves its host in
 * nixos-stack.json; its untouched generated files are deleted, files edited by hand stay, and the
 * output says so.
 */
import { formatEditResult, readManifest, removeService, removeServiceGenerator } from "@nixos-stack/generators/edit";
import { promptWithGenerator } from "@nixos-stack/generators";
import type { Io } from "../io.js";
import { flagValue, isInteractive, printReport, repoCommand, repoDir, withRepoOptions, type EditFlags } from "./shared.js";

interface RemoveServiceFlags extends EditFlags {
  host?: string;
  name?: string;
}

export async function run(args: string[], io: Io): Promise<number> {
  const cmd = withRepoOptions(
    repoCommand("remove-service", io)
      .description("Remove a service from a host of the nixos-stack repo: its generated files are deleted, files you edited stay.")
      .option("--host <host>", "the host it runs on (required)", flagValue("--host"))
      .option("--name <name>", "the service to remove (required)", flagValue("--name")),
  );
  cmd.parse(args, { from: "user" });
  const flags = cmd.opts<RemoveServiceFlags>();
  const dir = repoDir(flags);
  let { host, name } = flags;
  if (host === undefined || name === undefined) {
    if (!isInteractive(flags, io)) cmd.error("error: --host and --name are required: nothing can be asked here (no terminal, or --yes)", { exitCode: 2 });
    const doc = await readManifest(dir);
    const known = { ...(host !== undefined ? { host } : {}), ...(name !== undefined ? { name } : {}) };
    const generator = removeServiceGenerator({ dir, loadStack: async () => doc.stack, hostNames: doc.stack.hosts.map((h) => h.name), known });
    const answers = { ...known, ...(await promptWithGenerator("remove-service", generator, dir)) };
    host = String(answers.host);
    name = String(answers.name);
  }
  const result = await removeService(dir, host, name, { dryRun: flags.dryRun });
  return printReport(formatEditResult(result, { dryRun: flags.dryRun }), io);
}
