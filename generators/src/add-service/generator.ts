/** The `add-service` generator: asks what flags did not answer, then runs the edit pipeline. */
import type { PlopGeneratorConfig } from "node-plop";
import type { EditGeneratorContext } from "../add-target/generator.js";
import { EDIT_STACK_ACTION, type EditActionConfig } from "../manifest-edit/edit-action.js";
import type { ServiceAnswers } from "./answers.js";
import { kindPrompts, type ServiceKindPrompts } from "./kinds/index.js";
import { fieldKey, serviceQuestions } from "./questions.js";
import { addServiceEdit } from "./to-edit.js";

/** Prompt answers (kind fields under `<kind>.<field>`, as typed) → ServiceAnswers; empty answers take the defaults. */
export function toServiceAnswers(raw: Record<string, unknown>): ServiceAnswers {
  const kind = String(raw.kind ?? "");
  const fields: Record<string, unknown> = {};
  for (const field of kindPrompts(kind).fields) {
    const value = raw[fieldKey(kind, field.name)];
    if (value !== undefined && String(value).trim() !== "") fields[field.name] = field.parse(String(value));
  }
  return { kind, host: String(raw.host ?? ""), name: String(raw.name ?? ""), fields };
}

export function addServiceGenerator(ctx: EditGeneratorContext): Partial<PlopGeneratorConfig> {
  const known = ctx.known ?? {};
  const action: EditActionConfig = { dir: ctx.dir, dryRun: ctx.dryRun, edit: (answers) => addServiceEdit(toServiceAnswers({ ...known, ...answers })) };
  return {
    description: "Add a service to a host of this nixos-stack repo",
    prompts: serviceQuestions(ctx.hostNames).filter((q) => known[q.name] === undefined) as never,
    actions: [{ type: EDIT_STACK_ACTION, ...action } as never],
  };
}

/** `add-service-<kind>`: the same, for one kind, its fields asked by their own names (answerable from plop's command line). */
export function addKindServiceGenerator(ctx: EditGeneratorContext, kind: ServiceKindPrompts): Partial<PlopGeneratorConfig> {
  const keyed = (answers: Record<string, unknown>) => {
    const out: Record<string, unknown> = { ...answers, kind: kind.kind };
    for (const field of kind.fields) if (field.name in answers) out[fieldKey(kind.kind, field.name)] = answers[field.name];
    return out;
  };
  const action: EditActionConfig = { dir: ctx.dir, dryRun: ctx.dryRun, edit: (answers) => addServiceEdit(toServiceAnswers(keyed(answers))) };
  return {
    description: `Add a ${kind.kind} service (${kind.description}) to a host of this nixos-stack repo`,
    prompts: serviceQuestions(ctx.hostNames, kind) as never,
    actions: [{ type: EDIT_STACK_ACTION, ...action } as never],
  };
}
