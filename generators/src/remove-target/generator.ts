/** The `remove-target` generator: asks which host (unless given), then runs the edit pipeline. */
import type { PlopGeneratorConfig } from "node-plop";
import type { EditGeneratorContext } from "../add-target/generator.js";
import { EDIT_STACK_ACTION, type EditActionConfig } from "../manifest-edit/edit-action.js";
import { removeTargetQuestions } from "./questions.js";
import { removeTargetEdit } from "./to-edit.js";

export function removeTargetGenerator(ctx: EditGeneratorContext): Partial<PlopGeneratorConfig> {
  const known = ctx.known ?? {};
  const action: EditActionConfig = { dir: ctx.dir, dryRun: ctx.dryRun, edit: (answers) => removeTargetEdit(String({ ...known, ...answers }.name ?? "")) };
  return {
    description: "Remove a target (a host) from this nixos-stack repo",
    prompts: removeTargetQuestions(ctx.hostNames).filter((q) => known[q.name] === undefined) as never,
    actions: [{ type: EDIT_STACK_ACTION, ...action } as never],
  };
}
