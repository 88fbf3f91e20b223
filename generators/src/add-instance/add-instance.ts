/** add-instance and remove-instance in one call each, as the CLI subcommands run them. */
import { editStack, type EditStackOptions, type EditStackResult } from "../manifest-edit/edit-stack.js";
import { addInstanceEdit, removeInstanceEdit, type InstanceAnswers } from "./to-edit.js";

export function addInstance(dir: string, answers: InstanceAnswers, options: EditStackOptions = {}): Promise<EditStackResult> {
  return editStack(dir, addInstanceEdit(answers), options);
}

export function removeInstance(dir: string, answers: Pick<InstanceAnswers, "service" | "host" | "name">, options: EditStackOptions = {}): Promise<EditStackResult> {
  return editStack(dir, removeInstanceEdit(answers), options);
}
