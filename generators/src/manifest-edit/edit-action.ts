/**
 * The plop action `nixos-stack:edit`: runs the edit pipeline with the edit a generator built
 * from its answers. plop prints the returned text; a thrown error is the action's failure.
 */
import { StackError } from "@nixos-stack/core";
import type { CustomActionFunction } from "node-plop";
import type { ManifestEdit } from "./edit.js";
import { editStack } from "./edit-stack.js";
import { formatEditResult } from "./format-edit.js";

export const EDIT_STACK_ACTION = "nixos-stack:edit";

export interface EditActionConfig {
  dir: string;
  /** the generator's answers → the edit */
  edit: (answers: Record<string, unknown>) => ManifestEdit;
  dryRun?: boolean;
}

export const editStackAction: CustomActionFunction = async (answers, config) => {
  const { dir, edit, dryRun } = config as unknown as EditActionConfig;
  const result = await editStack(dir, edit(answers), { dryRun });
  const report = formatEditResult(result, { dryRun });
  if (report.exitCode !== 0) throw new StackError("conflict", report.err.trim());
  return `${report.out}${report.err}`.trimEnd();
};
