/**
 * `create-nixos-stack remove-target`: the reverse of add-target. The host leaves nixos-stack.json;
 * its untouched generated files are deleted, a generated file edited by hand and the user's own
 * files (its configuration.nix) stay, and the output says so.
 */
import { formatEditResult, readManifest, removeTarget, removeTargetGenerator } from "@nixos-stack/generators/edit";
import { promptWithGenerator } from "@nixos-stack/generators";
import type { Io } from "../io.js";
import { flagValue, isInteractive, printReport, repoCommand, repoDir, withRepoOptions, type EditFlags } from "./shared.js";

interface RemoveTargetFlags extends EditFlags {
  name?: string;
}

export async function run(args: string[], io: Io): Promise<number> {
  const cmd = withRepoOptions(
    repoCommand("remove-target", io)
      .description("Remove a target (a host) from the nixos-stack repo: its generated files are deleted, files you edited and your own files stay.")
      .option("--name <name>", "the host to remove (required)", flagValue("--name")),
  );
  cmd.parse(args, { from: "user" });
  const flags = cmd.opts<RemoveTargetFlags>();
  const dir = repoDir(flags);
  let name = flags.name;
  if (name === undefined) {
    if (!isInteractive(flags, io)) cmd.error("error: --name is required: nothing can be asked here (no terminal, or --yes)", { exitCode: 2 });
    const doc = await readManifest(dir);
    const generator = removeTargetGenerator({ dir, loadStack: async () => doc.stack, hostNames: doc.stack.hosts.map((h) => h.name) });
    name = String((await promptWithGenerator("remove-target", generator, dir)).name);
  }
  const result = await removeTarget(dir, name, { dryRun: flags.dryRun });
  return printReport(formatEditResult(result, { dryRun: flags.dryRun }), io);
}
