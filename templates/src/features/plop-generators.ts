import type { Feature, Stack } from "@nixos-stack/core";

/** The published versions a generated repo asks for (a test in generators keeps them equal to the workspace's). */
export const GENERATORS_RANGE = "^0.1.0";
export const PLOP_RANGE = "^4.0.5";

/**
 * The repo's package.json: the user's (npm install and npm update rewrite it, and they may add
 * their own tools), so written once and never replaced; it only needs to name the two packages.
 */
export function repoPackageJson(stack: Stack): string {
  const pkg = {
    name: stack.name,
    private: true,
    description: "Tools for this nixos-stack repo: `npx plop add-target`, `npx plop remove-target` (run `npm install` first)",
    scripts: { "add-target": "plop add-target", "remove-target": "plop remove-target" },
    devDependencies: { "@nixos-stack/generators": GENERATORS_RANGE, plop: PLOP_RANGE },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** `npx plop add-target` in the generated repo: a managed plopfile that loads @nixos-stack/generators, and the package.json naming it. */
export const plopGeneratorsFeature: Feature = {
  id: "plop-generators",
  applies: () => true,
  files: (stack) => [
    { path: "package.json", content: repoPackageJson(stack), ownership: "scaffold" },
    { path: "plopfile.mjs", template: "repo/plopfile.mjs", ownership: "managed" },
  ],
};
