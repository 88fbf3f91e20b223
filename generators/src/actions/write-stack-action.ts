/** The plop action `nixos-stack:write`: validates the answers into a manifest and runs the pipeline. */
import { formatPlan, inspectTarget, isFreshState, StackError, type ForceScope } from "@nixos-stack/core";
import type { CustomActionFunction } from "node-plop";
import { writeStack } from "../pipeline/write-stack.js";
import type { StackAnswers } from "../stack/answers.js";
import { answersToStack } from "../stack/to-stack.js";

export const WRITE_STACK_ACTION = "nixos-stack:write";

export const writeStackAction: CustomActionFunction = async (answers, config) => {
  const { dir, force = "none", dryRun } = config as unknown as { dir: string; force?: ForceScope; dryRun?: boolean };
  const state = await inspectTarget(dir);
  if (state === "file") throw new StackError("target-not-a-directory", `${dir} is a file: the stack generator writes into a directory`);
  if (force !== "all" && !isFreshState(state)) {
    throw new StackError("target-not-empty", `${dir} is not empty: the stack generator writes a new repo (use --sync for an existing one)`);
  }
  const stack = answersToStack(answers as StackAnswers);
  const { plan, conflicts } = await writeStack(stack, { dir, force, dryRun });
  // plop reports a thrown error as the action's failure
  if (conflicts.length) throw new StackError("conflict", `generated files edited by hand: ${conflicts.join(", ")}; nothing was written`);
  return formatPlan(plan);
};
