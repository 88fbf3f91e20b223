/** Test helpers: a valid VPS stack, and writing a FileTree to a directory. */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { validateStack, type FileTree, type Stack, type StackInput } from "@nixos-stack/core";
import { presetStack, type PresetAnswers } from "../presets/index.js";

export const TEST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u me@laptop";

export function validStack(input: StackInput): Stack {
  const r = validateStack(input);
  if (!r.ok) throw new Error(`test stack is invalid: ${JSON.stringify(r.errors)}`);
  return r.stack;
}

export function vpsStack(answers: Partial<PresetAnswers> = {}): Stack {
  return validStack(presetStack("vps", { name: "test-infra", sshKeys: [TEST_KEY], ...answers }));
}

export function writeTree(tree: FileTree, dir: string): void {
  for (const [path, file] of tree) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content, { mode: file.mode });
  }
}

/** A valid three-target LAN fleet (the `--yes` answers plus a key). */
export function fleetStack(answers: Partial<PresetAnswers> = {}): Stack {
  return validStack(presetStack("fleet", { name: "test-fleet", sshKeys: [TEST_KEY], ...answers }));
}
