/**
 * @nixos-stack/generators: the plop plugin. `nixosStack(plop, context)` registers the `stack`
 * generator (a new repo) and the `nixos-stack:write` action that runs the pipeline; a generated
 * repo's plopfile calls `registerRepoGenerators(plop)` for `add-target` and `remove-target`.
 */
import type { NodePlopAPI } from "node-plop";
import { WRITE_STACK_ACTION, writeStackAction } from "./actions/write-stack-action.js";
import { registerStackGenerator, type StackGeneratorContext } from "./stack/generator.js";

export default function nixosStack(plop: NodePlopAPI, ctx: StackGeneratorContext): void {
  plop.setActionType(WRITE_STACK_ACTION, writeStackAction);
  registerStackGenerator(plop, ctx);
}

export { writeStack, type WriteStackOptions, type WriteStackResult } from "./pipeline/write-stack.js";
export { answersToStack, type AnswerSources } from "./stack/to-stack.js";
export { ANSWER_FLAGS, type StackAnswers } from "./stack/answers.js";
export { defaultAnswers, findOwnPublicKey, projectNameFrom } from "./stack/defaults.js";
export { stackQuestions } from "./stack/questions.js";
export { stackGenerator, registerStackGenerator, type StackGeneratorContext } from "./stack/generator.js";
export { promptStackAnswers, promptWithGenerator } from "./prompt.js";
export { registerRepoGenerators } from "./repo-generators.js";
export { readManifest, MANIFEST_PATH, type ManifestDocument } from "./manifest-edit/document.js";
export type { ManifestEdit } from "./manifest-edit/edit.js";
export { editStack, type EditStackOptions, type EditStackResult } from "./manifest-edit/edit-stack.js";
export { formatEditResult, type EditReport } from "./manifest-edit/format-edit.js";
export { EDIT_STACK_ACTION, editStackAction } from "./manifest-edit/edit-action.js";
export { addTarget } from "./add-target/add-target.js";
export { TARGET_FLAGS, type TargetAnswers } from "./add-target/answers.js";
export { targetDefaults, type TargetDefaults } from "./add-target/defaults.js";
export { addTargetEdit, newHostEntry } from "./add-target/to-edit.js";
export { addTargetGenerator, toTargetAnswers, type EditGeneratorContext } from "./add-target/generator.js";
export { removeTarget } from "./remove-target/remove-target.js";
export { removeTargetEdit } from "./remove-target/to-edit.js";
export { removeTargetGenerator } from "./remove-target/generator.js";
export { WRITE_STACK_ACTION, writeStackAction };
