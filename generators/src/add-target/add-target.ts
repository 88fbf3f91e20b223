/** add-target in one call: what the CLI subcommand (and `pnpm bench`) run after resolving the answers. */
import { editStack, type EditStackOptions, type EditStackResult } from "../manifest-edit/edit-stack.js";
import type { TargetAnswers } from "./answers.js";
import { addTargetEdit } from "./to-edit.js";

export function addTarget(dir: string, answers: TargetAnswers, options: EditStackOptions = {}): Promise<EditStackResult> {
  return editStack(dir, addTargetEdit(answers), options);
}
