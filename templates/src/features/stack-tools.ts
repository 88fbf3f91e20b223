import type { Feature, Stack } from "@nixos-stack/core";
// The packages are released together (.changeset/config.json "fixed"), so this version is also
// the version of create-nixos-stack and @nixos-stack/check that renders and checks these files.
import templatesPackage from "@nixos-stack/templates/package.json" with { type: "json" };

/** The range a generated repo pins the tools to: the release that rendered it, and its compatible updates. */
export const TOOLS_RANGE = `^${templatesPackage.version}`;

/**
 * The generated repo's package.json: it only pins the nixos-stack tools that stack.sh runs.
 * Written once (scaffold): upgrading the tools is `npm install -D …@latest`, and a user's own
 * additions stay. Further tools (e.g. @nixos-stack/generators) join devDependencies here.
 */
export function toolsPackageJson(stack: Stack): string {
  const manifest = {
    name: stack.name,
    private: true,
    description: "The nixos-stack tools this repo is synced and checked with (run them with ./stack.sh)",
    engines: { node: ">=20.19" },
    devDependencies: { "@nixos-stack/check": TOOLS_RANGE, "create-nixos-stack": TOOLS_RANGE },
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
