/** Presets: typed data, one file each (create-vite style); each maps answers to a manifest. */
import type { StackInput } from "@nixos-stack/core";
import { fleetPreset } from "./fleet.js";
import { vpsPreset, type PresetAnswers } from "./vps.js";

export type { FleetTargetAnswer, PresetAnswers } from "./vps.js";
export { DEFAULT_FLEET_TARGETS } from "./fleet.js";

export const presets = {
  vps: { title: "VPS", description: "one cloud server, x86 or ARM: the repo carries both configurations (vps-x86, vps-arm) and you deploy the one that matches; disko, hardened SSH, home-manager user service, bootstrap.sh + update.sh", build: vpsPreset },
  fleet: { title: "LAN fleet", description: "several NixOS machines on a local network: lab-server, dev-workstation, media-center (or your --target list) under targets/<name>/, deploy any of them over SSH from any clone with nixos-rebuild, deploy-rs or colmena", build: fleetPreset },
} as const satisfies Record<string, { title: string; description: string; build: (a: PresetAnswers) => StackInput }>;

export type PresetName = keyof typeof presets;

export function presetStack(name: PresetName, answers: PresetAnswers): StackInput {
  return presets[name].build(answers);
}
