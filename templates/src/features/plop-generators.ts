import type { Feature } from "@nixos-stack/core";
import { TOOLS_RANGE } from "./stack-tools.js";

/** The version of @nixos-stack/generators a generated repo asks for (package.json, written by stack-tools). */
export const GENERATORS_RANGE = TOOLS_RANGE;
export { PLOP_RANGE } from "./stack-tools.js";

/** `npx plop add-target` in the generated repo: a managed plopfile that loads @nixos-stack/generators (package.json names it). */
export const plopGeneratorsFeature: Feature = {
  id: "plop-generators",
  applies: () => true,
  files: () => [{ path: "plopfile.mjs", template: "repo/plopfile.mjs", ownership: "managed" }],
};
