/** The plop action `nixos-stack:write`: validates the answers into a manifest and runs the pipeline. */
import { formatPlan } from "@nixos-stack/core";
import type { CustomActionFunction } from "node-plop";
import { writeStack } from "../pipeline/write-stack.js";
import type { StackAnswers } from "../stack/answers.js";
import { answersToStack } from "../stack/to-stack.js";

export const WRITE_STACK_ACTION = "nixos-stack:write";

export const writeStackAction: CustomActionFunction = async (answers, config) => {
  const { dir, force, dryRun } = config as unknown as { dir: string; force?: boolean; dryRun?: boolean };
  const stack = answersToStack(answers as StackAnswers);
  const { plan } = await writeStack(stack, { dir, force, dryRun });
  return formatPlan(plan);
};
