/**
 * answers → the manifest edit that appends the service to its host's `services`. Clashes (name,
 * port, user) are the schema's to refuse: the pipeline validates the whole new manifest first.
 */
import { StackError } from "@nixos-stack/core";
import type { ManifestEdit } from "../manifest-edit/edit.js";
import { appendToArray } from "../manifest-edit/json-text.js";
import type { ServiceAnswers } from "./answers.js";
import { hostIndex } from "./host-index.js";
import { kindPrompts } from "./kinds/index.js";

export function newServiceEntry(answers: ServiceAnswers): Record<string, unknown> {
  const known = new Set(kindPrompts(answers.kind).fields.map((f) => f.name));
  const unknown = Object.keys(answers.fields).filter((k) => !known.has(k));
  if (unknown.length) throw new StackError("invalid-flag", `${unknown.join(", ")}: not a field of a ${answers.kind} service`);
  const entry: Record<string, unknown> = { kind: answers.kind, name: answers.name };
  for (const field of kindPrompts(answers.kind).fields) {
    if (!(field.name in answers.fields)) continue;
    const [last, ...parents] = [...(field.path ?? [field.name])].reverse() as [string, ...string[]];
    let at = entry;
    for (const key of parents.reverse()) at = (at[key] ??= {}) as Record<string, unknown>;
    at[last] = answers.fields[field.name];
  }
  return entry;
}

export function addServiceEdit(answers: ServiceAnswers): ManifestEdit {
  return {
    title: `add-service ${answers.name} on ${answers.host}`,
    apply: (doc) => {
      const entry = newServiceEntry(answers);
      return appendToArray(doc.text, ["hosts", hostIndex(doc.stack, answers.host), "services"], entry);
    },
    notes: () => [`${answers.name} runs once ${answers.host} is deployed again: ./update.sh --config ${answers.host} (or the repo's deployer, see README.md).`],
  };
}
