/** Presets: typed data, one file each (create-vite style); each maps answers to a manifest. */
import type { StackInput } from "@nixos-stack/core";
import { vpsPreset, type PresetAnswers } from "./vps.js";

export type { PresetAnswers } from "./vps.js";

export const presets = {
  vps: { title: "VPS", description: "one cloud server, x86 or ARM: the repo carries both configurations (vps-x86, vps-arm) and you deploy the one that matches; disko, hardened SSH, home-manager user service, bootstrap.sh + update.sh", build: vpsPreset },
} as const satisfies Record<string, { title: string; description: string; build: (a: PresetAnswers) => StackInput }>;

export type PresetName = keyof typeof presets;

export function presetStack(name: PresetName, answers: PresetAnswers): StackInput {
  return presets[name].build(answers);
}
