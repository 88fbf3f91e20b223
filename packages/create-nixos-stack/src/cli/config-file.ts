/** --config: a full manifest (it has "hosts") or a partial set of answers, each of the right type. */
// node:fs/promises through fs.promises, read where it is called: a scaffold never calls it, and loading it costs a start about 1 ms (README, Speed)
import { promises as fsp } from "node:fs";
import * as z from "zod/mini";
import { StackError, toFieldErrors, validateStack, formatFieldError, type Stack } from "@nixos-stack/core";
import { ANSWER_FLAGS, type StackAnswers } from "@nixos-stack/generators";

export type ConfigFile = { kind: "manifest"; stack: Stack } | { kind: "answers"; answers: Partial<StackAnswers> };

/**
 * The shape of an answers file; values are checked again, with their real rules, as part of the manifest.
 * Built on first use: a run without --config never pays for constructing it.
 */
const answersFileSchema = () =>
  z.partial(z.strictObject({
    preset: z.string(),
    name: z.string(),
    admin: z.string(),
    sshKeys: z.array(z.string()),
    sshPort: z.number(),
    timeZone: z.string(),
    locale: z.string(),
    nixpkgsBranch: z.string(),
    disk: z.string(),
    address: z.string(),
    gateway: z.boolean(),
  }));

/** Some editors (Windows Notepad, PowerShell's Out-File) start a UTF-8 file with a byte order mark, which JSON.parse refuses. */
export function stripBom(text: string): string {
  return text.startsWith("\uFEFF") ? text.slice(1) : text;
}

export async function loadConfigFile(path: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await fsp.readFile(path, "utf8");
  } catch (err) {
    throw new StackError("config-not-found", `--config ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(stripBom(text));
  } catch (err) {
    throw new StackError("invalid-manifest", `--config ${path}: not valid JSON (${(err as Error).message})`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new StackError("invalid-manifest", `--config ${path}: expected a JSON object (a nixos-stack.json, or answers such as {"name": "my-infra"})`);
  }
  if ("hosts" in data) {
    const result = validateStack(data);
    if (!result.ok) throw StackError.invalidManifest(result.errors, path);
    return { kind: "manifest", stack: result.stack };
  }
  const answers = answersFileSchema().safeParse(data, { reportInput: true });
  if (!answers.success) {
    const errors = toFieldErrors(answers.error);
    const known = Object.keys(ANSWER_FLAGS).join(", ");
    throw new StackError(
      "invalid-manifest",
      `invalid answers in ${path}:\n${errors.map((e) => `  ${formatFieldError(e)}`).join("\n")}\n  (answers are ${known}; or give a whole manifest with "hosts")`,
      errors,
    );
  }
  return { kind: "answers", answers: answers.data as Partial<StackAnswers> };
}
