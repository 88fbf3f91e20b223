/**
 * The questions of the `stack` generator, in the order they are asked. Each
 * validates with the same zod rule the manifest uses, so a prompt rejects what
 * the schema would.
 */
import { NIXPKGS_RELEASES, rules } from "@nixos-stack/core";
import { presets } from "@nixos-stack/templates";
import type { ZodType } from "zod";
import type { StackAnswers } from "./answers.js";

export interface StackQuestion {
  name: keyof StackAnswers;
  type: "input" | "list" | "confirm" | "number";
  message: string;
  choices?: { name: string; value: string }[];
  /** Parse the typed text into the answer's value (e.g. split keys, read numbers). */
  parse?: (input: string) => unknown;
}

function validator(rule: ZodType) {
  return (value: unknown) => {
    const result = rule.safeParse(value);
    return result.success || result.error.issues[0]?.message || "invalid";
  };
}

export const stackQuestions: (StackQuestion & { validate?: (v: unknown) => true | string })[] = [
  {
    name: "preset",
    type: "list",
    message: "What are you deploying?",
    choices: Object.entries(presets).map(([value, p]) => ({ name: `${p.title}: ${p.description}`, value })),
  },
  { name: "name", type: "input", message: "Project name:", validate: validator(rules.projectName) },
  { name: "admin", type: "input", message: "Admin user name (sudo, SSH key login):", validate: validator(rules.userName) },
  {
    name: "sshKeys",
    type: "input",
    message: "The admin's SSH public key (a line of ~/.ssh/id_ed25519.pub; empty to add later):",
    parse: (input) => (input.trim() ? [input.trim()] : []),
    validate: (v) => {
      const text = String(v).trim();
      if (!text) return true;
      return rules.sshKeyProblem(text) ?? true;
    },
  },
  { name: "sshPort", type: "number", message: "SSH port on the servers:", validate: validator(rules.port) },
  { name: "timeZone", type: "input", message: "Time zone:", validate: validator(rules.timeZone) },
  {
    name: "nixpkgsBranch",
    type: "list",
    message: "NixOS release:",
    choices: NIXPKGS_RELEASES.map((r) => ({ name: r.label, value: r.branch })),
  },
  { name: "gateway", type: "confirm", message: "Add the gateway user service (home-manager, 127.0.0.1 only)?" },
];
