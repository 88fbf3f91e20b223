/**
 * The manifest of a run that changes no default answer (`--yes`, with or without `--preset`): its
 * preset's default manifest, validated whole once (default-stacks.ts; when the bin is built), with
 * the two answers a run finds on its machine put in, each checked by the test the schema's rule
 * makes, without building the schema (no zod call at all): the project name (rules.projectName's
 * PROJECT_NAME) and the operator's public keys (rules.sshPublicKey's sshKeyProblem).
 * Neither takes part in any rule across fields, so the result is the one validateStack gives
 * (yes-stack.test.ts checks that on random names and keys). Any other answer, or a name or key
 * either rule refuses, returns undefined: validateStack then checks everything and reports it.
 */
import { rules, type Stack } from "@nixos-stack/core";
import type { StackAnswers } from "./answers.js";
import { defaultStackTexts } from "./default-stacks.js";
import { FIXED_DEFAULT_ANSWERS } from "./defaults.js";

/** The answers a run finds on its machine; every other one must be its fixed default. */
const FOUND_ON_THE_MACHINE = ["preset", "name", "sshKeys"] as const;

/** Exactly the answers of defaultAnswers(), the fixed ones unchanged (an extra answer, even an undefined one, is a change). */
function onlyFoundAnswers(answers: StackAnswers): boolean {
  const given = answers as unknown as Readonly<Record<string, unknown>>;
  const fixed = Object.entries(FIXED_DEFAULT_ANSWERS);
  return Object.keys(given).length === FOUND_ON_THE_MACHINE.length + fixed.length && FOUND_ON_THE_MACHINE.every((key) => key in given) && fixed.every(([key, value]) => given[key] === value);
}

export function yesStack(answers: StackAnswers): Stack | undefined {
  if (!onlyFoundAnswers(answers)) return undefined;
  const texts = defaultStackTexts();
  const text = Object.hasOwn(texts, answers.preset) ? texts[answers.preset] : undefined;
  const keys = answers.sshKeys;
  if (text === undefined || !Array.isArray(keys)) return undefined;
  // the tests the schema's rules make (rules.projectName: PROJECT_NAME; rules.sshPublicKey: a string, sshKeyProblem), without building them
  if (typeof answers.name !== "string" || !rules.PROJECT_NAME.test(answers.name)) return undefined;
  if (!keys.every((key) => typeof key === "string" && rules.sshKeyProblem(key) === undefined)) return undefined;
  const stack = JSON.parse(text) as Stack;
  stack.name = answers.name;
  stack.admins[0]!.sshKeys = [...keys];
  return stack;
}
