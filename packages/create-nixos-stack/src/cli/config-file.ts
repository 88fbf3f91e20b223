/** --config: a full manifest (it has "hosts") or a partial set of answers. */
import { readFile } from "node:fs/promises";
import { StackError, validateStack, type Stack } from "@nixos-stack/core";
import { ANSWER_FLAGS, type StackAnswers } from "@nixos-stack/generators";

export type ConfigFile = { kind: "manifest"; stack: Stack } | { kind: "answers"; answers: Partial<StackAnswers> };

export async function loadConfigFile(path: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new StackError("config-not-found", `--config ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
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
  const known = new Set(Object.keys(ANSWER_FLAGS));
  const unknown = Object.keys(data).filter((k) => !known.has(k));
  if (unknown.length) {
    throw new StackError("invalid-manifest", `--config ${path}: unknown answer ${unknown.map((k) => `"${k}"`).join(", ")}; answers are ${[...known].join(", ")} (or give a whole manifest with "hosts")`);
  }
  return { kind: "answers", answers: data as Partial<StackAnswers> };
}
