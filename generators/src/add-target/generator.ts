/** The `add-target` generator: asks what flags did not answer, then runs the edit pipeline. */
import type { Stack } from "@nixos-stack/core";
import type { PlopGeneratorConfig } from "node-plop";
import { EDIT_STACK_ACTION, type EditActionConfig } from "../manifest-edit/edit-action.js";
import type { TargetAnswers } from "./answers.js";
import { parseTags, targetQuestions } from "./questions.js";
import { addTargetEdit } from "./to-edit.js";

export interface EditGeneratorContext {
  /** the repo */
  dir: string;
  /** the repo's manifest, read when a question first needs it */
  loadStack: () => Promise<Stack>;
  /** the repo's host names, when known as the generator is made (remove-target lists them) */
  hostNames?: readonly string[];
  /** answers already given by flags: not asked again */
  known?: Record<string, unknown>;
  dryRun?: boolean;
}

/** Prompt answers (or plop's command-line answers, as typed) → TargetAnswers. */
export function toTargetAnswers(raw: Record<string, unknown>): TargetAnswers {
  const text = (v: unknown) => (v === undefined || v === null || String(v).trim() === "" ? undefined : String(v).trim());
  const tags = parseTags(raw.tags);
  const answers: TargetAnswers = { name: String(raw.name ?? "") };
  for (const key of ["system", "address", "profile", "disk"] as const) {
    const value = text(raw[key]);
    if (value !== undefined) answers[key] = value;
  }
  if (tags.length) answers.tags = tags;
  if (typeof raw.sshPort === "number") answers.sshPort = raw.sshPort;
  return answers;
}

export function addTargetGenerator(ctx: EditGeneratorContext): Partial<PlopGeneratorConfig> {
  const known = ctx.known ?? {};
  const action: EditActionConfig = { dir: ctx.dir, dryRun: ctx.dryRun, edit: (answers) => addTargetEdit(toTargetAnswers({ ...known, ...answers })) };
  return {
    description: "Add a target (a host) to this nixos-stack repo",
    prompts: targetQuestions(ctx.loadStack).filter((q) => known[q.name] === undefined) as never,
    actions: [{ type: EDIT_STACK_ACTION, ...action } as never],
  };
}
