/**
 * @nixos-stack/generators: the plop plugin. `nixosStack(plop, context)` registers the `stack`
 * generator (a new repo) and the `nixos-stack:write` action that runs the pipeline; a generated
 * repo's plopfile calls `registerRepoGenerators(plop)` for `add-target` and `remove-target`.
 * Those edit an existing repo; their API is `@nixos-stack/generators/edit`, loaded only when used
 * (the bundled `npm create` never loads it).
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
export { defaultAnswers, findOwnPublicKeys, projectNameFrom } from "./stack/defaults.js";
/** build.mjs inlines these into the bundled bin (default-stacks.ts) */
export { defaultStackTexts, STAND_IN_NAME } from "./stack/default-stacks.js";
export { stackQuestions } from "./stack/questions.js";
export { stackGenerator, registerStackGenerator, type StackGeneratorContext } from "./stack/generator.js";
export { promptStackAnswers, promptWithGenerator } from "./prompt.js";
export { WRITE_STACK_ACTION, writeStackAction };

/** add-target and remove-target for a generated repo's plopfile (see ./edit.ts). */
export async function registerRepoGenerators(plop: NodePlopAPI, options: { dir?: string } = {}): Promise<void> {
  const edit = await import("./edit.js");
  return edit.registerRepoGenerators(plop, options);
}
