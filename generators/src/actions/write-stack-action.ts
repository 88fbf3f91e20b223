/** The plop action `nixos-stack:write`: validates the answers into a manifest and runs the pipeline. */
import { formatPlan, isFreshTarget, StackError, type ForceScope } from "@nixos-stack/core";
import type { CustomActionFunction } from "node-plop";
import { writeStack } from "../pipeline/write-stack.js";
import type { StackAnswers } from "../stack/answers.js";
import { answersToStack } from "../stack/to-stack.js";

export const WRITE_STACK_ACTION = "nixos-stack:write";

export const writeStackAction: CustomActionFunction = async (answers, config) => {
  const { dir, force = "none", dryRun } = config as unknown as { dir: string; force?: ForceScope; dryRun?: boolean };
  if (force !== "all" && !(await isFreshTarget(dir))) {
    throw new StackError("target-not-empty", `${dir} is not empty: the stack generator writes a new repo (use --sync for an existing one)`);
  }
  const stack = answersToStack(answers as StackAnswers);
  const { plan, conflicts } = await writeStack(stack, { dir, force, dryRun });
  // plop reports a thrown error as the action's failure
  if (conflicts.length) throw new StackError("conflict", `generated files edited by hand: ${conflicts.join(", ")}; nothing was written`);
  return formatPlan(plan);
};
