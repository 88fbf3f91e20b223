/**
 * @nixos-stack/generators: the plop plugin. Load it from a plopfile with
 * `export default (plop) => nixosStack(plop, context)`; it registers the `stack`
 * generator and the `nixos-stack:write` action that runs the pipeline.
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
export { stackQuestions } from "./stack/questions.js";
export { stackGenerator, registerStackGenerator, type StackGeneratorContext } from "./stack/generator.js";
export { promptStackAnswers } from "./prompt.js";
export { WRITE_STACK_ACTION, writeStackAction };
