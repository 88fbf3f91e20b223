/**
 * answers → manifest: the preset builds the input, zod validates it whole and applies defaults
 * (or, when no default answer changed, yes-stack.ts gives the manifest that validation gives).
 */
import { StackError, validateStack, type FieldError, type Stack } from "@nixos-stack/core";
import { presetStack, presets } from "@nixos-stack/templates";
import { ANSWER_PATHS, type StackAnswers } from "./answers.js";
import { yesStack } from "./yes-stack.js";

/** Where the user gave each answer ("--admin", '"sshPort" in answers.json'); defaults have none. */
export type AnswerSources = Partial<Record<keyof StackAnswers, string>>;

/** A service's user is fixed by the preset; when it clashes with the admin's name, the admin answer is what the user set. */
const SERVICE_USER = /^hosts\[\d+\]\.services\[\d+\]\.user$/;

function withSourceHint(error: FieldError, answers: StackAnswers, sources: AnswerSources): FieldError {
  const clashesWithAdmin = SERVICE_USER.test(error.path) && error.value === JSON.stringify(answers.admin);
  const answer = clashesWithAdmin ? "admin" : ANSWER_PATHS.find(([pattern]) => pattern.test(error.path))?.[1];
  const source = answer ? sources[answer] : undefined;
  return source ? { ...error, rule: `${error.rule} (set by ${source})` } : error;
}

export function answersToStack(answers: StackAnswers, sources: AnswerSources = {}): Stack {
  if (!(answers.preset in presets)) {
    throw new StackError("invalid-flag", `--preset: "${answers.preset}" is not a preset; use one of ${Object.keys(presets).join(", ")}`);
  }
  const unchanged = yesStack(answers); // no default answer changed: the preset's manifest, validated when built
  if (unchanged) return unchanged;
  const result = validateStack(presetStack(answers.preset, answers));
  if (!result.ok) throw StackError.invalidManifest(result.errors.map((e) => withSourceHint(e, answers, sources)), "answers");
  return result.stack;
}
