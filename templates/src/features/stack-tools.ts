import type { Feature, Stack } from "@nixos-stack/core";
// The packages are released together (.changeset/config.json "fixed"), so this version is also
// the version of create-nixos-stack and @nixos-stack/check that renders and checks these files.
import templatesPackage from "@nixos-stack/templates/package.json" with { type: "json" };

/** The range a generated repo pins the tools to: the release that rendered it, and its compatible updates. */
export const TOOLS_RANGE = `^${templatesPackage.version}`;
/** plop, which runs the generators of plopfile.mjs (`npx plop add-target`). */
export const PLOP_RANGE = "^4.0.5";

/**
 * The generated repo's package.json: it only pins the nixos-stack tools that stack.sh runs.
 * Written once (scaffold): upgrading the tools is `npm install -D …@latest`, and a user's own
 * additions stay. Further tools (e.g. @nixos-stack/generators) join devDependencies here.
 */
export function toolsPackageJson(stack: Stack): string {
  const manifest = {
    name: stack.name,
    private: true,
    description: "The nixos-stack tools: ./stack.sh sync|check, npx plop add-target|remove-target (npm install first)",
    engines: { node: ">=20.19" },
    scripts: { "add-target": "plop add-target", "remove-target": "plop remove-target" },
    devDependencies: { "@nixos-stack/check": TOOLS_RANGE, "@nixos-stack/generators": TOOLS_RANGE, "create-nixos-stack": TOOLS_RANGE, plop: PLOP_RANGE },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** stack.sh (`sync` and `check`, published or from a clone) and the package.json pinning what it runs. */
export const stackToolsFeature: Feature = {
  id: "stack-tools",
  applies: () => true,
  files: (stack) => [
    { path: "stack.sh", template: "tools/stack.sh", ownership: "managed", executable: true },
    { path: "package.json", content: toolsPackageJson(stack), ownership: "scaffold" },
  ],
};
