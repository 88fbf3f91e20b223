/** answers → manifest: the preset builds the input, zod validates it whole and applies defaults. */
import { StackError, validateStack, type FieldError, type Stack } from "@nixos-stack/core";
import { presetStack, presets } from "@nixos-stack/templates";
import { ANSWER_FLAGS, ANSWER_PATHS, type StackAnswers } from "./answers.js";

function withFlagHint(error: FieldError): FieldError {
  const answer = ANSWER_PATHS.find(([pattern]) => pattern.test(error.path))?.[1];
  return answer ? { ...error, rule: `${error.rule} (set by ${ANSWER_FLAGS[answer]})` } : error;
}

export function answersToStack(answers: StackAnswers): Stack {
  if (!(answers.preset in presets)) {
    throw new StackError("invalid-flag", `--preset: "${answers.preset}" is not a preset; use one of ${Object.keys(presets).join(", ")}`);
  }
  const result = validateStack(presetStack(answers.preset, answers));
  if (!result.ok) throw StackError.invalidManifest(result.errors.map(withFlagHint), "the answers");
  return result.stack;
}
