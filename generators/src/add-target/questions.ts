/**
 * The questions of `add-target`, in order. A plain array (plop can answer each from the command
 * line: `plop add-target -- --name lab`); defaults and the duplicate-name check read the repo's
 * manifest lazily. Each validates with the manifest's own rule; the whole manifest is checked again.
 */
import { PROFILES, rules, SYSTEMS, type Stack } from "@nixos-stack/core";
import type { TargetAnswers } from "./answers.js";
import { targetDefaults } from "./defaults.js";

export interface TargetQuestion {
  name: keyof TargetAnswers;
  type: "input" | "list";
  message: string;
  choices?: readonly string[];
  default: () => Promise<string | undefined>;
  /** plop's command-line answers reach validate as typed, inquirer's after filter: accept both */
  validate?: (value: unknown) => Promise<true | string>;
  filter?: (value: string) => unknown;
}

/** true, or the problem named with the answer and its value (plop prints it alone): `name "Lab_1" — use lowercase…` */
const check = (answer: string, rule: () => { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } }, value: string): true | string => {
  const result = rule().safeParse(value);
  return result.success || `${answer} ${JSON.stringify(value)} — ${result.error?.issues[0]?.message ?? "invalid"}`;
};

/** "a, b c" → ["a", "b", "c"] */
export function parseTags(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return String(value ?? "")
    .split(/[\s,]+/)
    .filter(Boolean);
}

export function targetQuestions(loadStack: () => Promise<Stack>): TargetQuestion[] {
  const defaults = async () => targetDefaults(await loadStack());
  return [
    {
      name: "name",
      type: "input",
      message: "Name of the new target (its host name):",
      default: async () => undefined,
      validate: async (value) => {
        const name = String(value ?? "");
        const ok = check("name", rules.hostName, name);
        if (ok !== true) return ok;
        const taken = (await loadStack()).hosts.findIndex((h) => h.name === name);
        return taken < 0 || `name ${JSON.stringify(name)} — is already the name of hosts[${taken}]; host names must be unique`;
      },
    },
    { name: "system", type: "list", message: "Its architecture:", choices: SYSTEMS, default: async () => (await defaults()).system },
    {
      name: "address",
      type: "input",
      message: "Its address, where the deploy scripts reach it (empty: pass --host each time):",
      default: async () => undefined,
      validate: async (value) => (String(value ?? "").trim() === "" ? true : check("address", rules.deployAddress, String(value).trim())),
      filter: (value) => String(value ?? "").trim(),
    },
    { name: "profile", type: "list", message: "What it is for:", choices: PROFILES, default: async () => (await defaults()).profile },
    {
      name: "tags",
      type: "input",
      message: "Tags, to deploy groups of targets (comma-separated, may be empty):",
      default: async () => undefined,
      filter: parseTags,
    },
  ];
}
