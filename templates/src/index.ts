import { render, type FileTree, type Stack } from "@nixos-stack/core";
import { features } from "./features/index.js";
import { templateSources } from "./template-sources.js";

export { features } from "./features/index.js";
export { templateSources, loadTemplateSources, TEMPLATES_DIR } from "./template-sources.js";
export { manifestText } from "./features/repo.js";
export { GENERATORS_RANGE, PLOP_RANGE } from "./features/plop-generators.js";
export { SYSTEM_ALIASES } from "./features/context.js";
export { previousSecretsBackend, secretsSwitchMessage } from "./features/secrets-switch.js";
export { DEFAULT_FLEET_TARGETS, presets, presetStack, type FleetTargetAnswer, type PresetName, type PresetAnswers } from "./presets/index.js";

/** The whole generated repository for a validated stack, in memory. Pure and deterministic. */
export function renderStack(stack: Stack): FileTree {
  return render(stack, features, templateSources);
}
