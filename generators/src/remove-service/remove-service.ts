/** remove-service in one call, as the CLI subcommand runs it. */
import { editStack, type EditStackOptions, type EditStackResult } from "../manifest-edit/edit-stack.js";
import { removeServiceEdit } from "./to-edit.js";

export function removeService(dir: string, host: string, name: string, options: EditStackOptions = {}): Promise<EditStackResult> {
  return editStack(dir, removeServiceEdit(host, name), options);
}
