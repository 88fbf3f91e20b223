/**
 * Each preset's manifest from the default answers, validated by the whole schema, as JSON text:
 * what `--yes` turns into a manifest, apart from the two answers a run finds on its machine
 * (yes-stack.ts puts those in). The project name here is a stand-in and there are no keys.
 *
 * The bundled bin never runs this module: build.mjs replaces it with the texts it returns, taken
 * when the bin is built, so a `--yes` scaffold builds no manifest schema (README, Speed).
 */
import { validateStack } from "@nixos-stack/core";
import { presets, presetStack, type PresetName } from "@nixos-stack/templates";
import { FIXED_DEFAULT_ANSWERS } from "./defaults.js";

/** The stand-in project name (any name the schema takes would do; yes-stack.ts replaces it). */
export const STAND_IN_NAME = "nixos-stack";

let texts: Readonly<Record<PresetName, string>> | undefined;

export function defaultStackTexts(): Readonly<Record<PresetName, string>> {
  texts ??= Object.fromEntries(
    (Object.keys(presets) as PresetName[]).map((preset) => {
      const result = validateStack(presetStack(preset, { ...FIXED_DEFAULT_ANSWERS, name: STAND_IN_NAME, sshKeys: [] }));
      if (!result.ok) throw new Error(`the ${preset} preset's default answers fail the schema: ${JSON.stringify(result.errors)}`);
      return [preset, JSON.stringify(result.stack)];
    }),
  ) as Record<PresetName, string>;
  return texts;
}
