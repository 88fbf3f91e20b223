/**
 * The generators of a generated repo's plopfile: `add-target`, `remove-target`, `add-service`,
 * `remove-service`, all ending in the edit pipeline. The repo is plop's
 * destination, by default the plopfile's directory.
 */
import type { NodePlopAPI } from "node-plop";
import { addKindServiceGenerator, addServiceGenerator } from "./add-service/generator.js";
import { SERVICE_KIND_PROMPTS } from "./add-service/kinds/index.js";
import { addTargetGenerator } from "./add-target/generator.js";
import { readManifest } from "./manifest-edit/document.js";
import { EDIT_STACK_ACTION, editStackAction } from "./manifest-edit/edit-action.js";
import { removeServiceGenerator } from "./remove-service/generator.js";
import { removeTargetGenerator } from "./remove-target/generator.js";

export async function registerRepoGenerators(plop: NodePlopAPI, options: { dir?: string } = {}): Promise<void> {
  const dir = options.dir ?? plop.getDestBasePath();
  const manifest = readManifest(dir);
  // a missing or invalid manifest is reported, with its fix, by the question or action that needs it
  const hostNames = await manifest.then(
    (doc) => doc.stack.hosts.map((h) => h.name),
    () => undefined,
  );
  const ctx = { dir, loadStack: async () => (await manifest).stack, hostNames };
  plop.setActionType(EDIT_STACK_ACTION, editStackAction);
  plop.setGenerator("add-target", addTargetGenerator(ctx));
  plop.setGenerator("remove-target", removeTargetGenerator(ctx));
  plop.setGenerator("add-service", addServiceGenerator(ctx));
  // one per kind, whose questions plop can answer from its command line (add-service's depend on the kind)
  for (const kind of SERVICE_KIND_PROMPTS) plop.setGenerator(`add-service-${kind.kind}`, addKindServiceGenerator(ctx, kind));
  plop.setGenerator("remove-service", removeServiceGenerator(ctx));
}
