/** add-service in one call, as the CLI subcommand runs it. */
import { editStack, type EditStackOptions, type EditStackResult } from "../manifest-edit/edit-stack.js";
import type { ServiceAnswers } from "./answers.js";
import { addServiceEdit } from "./to-edit.js";

export function addService(dir: string, answers: ServiceAnswers, options: EditStackOptions = {}): Promise<EditStackResult> {
  return editStack(dir, addServiceEdit(answers), options);
}
