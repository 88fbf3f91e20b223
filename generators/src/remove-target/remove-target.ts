/** remove-target in one call, as the CLI subcommand runs it. */
import { editStack, type EditStackOptions, type EditStackResult } from "../manifest-edit/edit-stack.js";
import { removeTargetEdit } from "./to-edit.js";

export function removeTarget(dir: string, name: string, options: EditStackOptions = {}): Promise<EditStackResult> {
  return editStack(dir, removeTargetEdit(name), options);
}
