import { MANAGED_NOTE } from "@nixos-stack/core";
import { describe, expect, it } from "vitest";
import { renderStack } from "../index.js";
import { vpsStack } from "../test-support/render-to-disk.js";

describe("plop generators in a generated repo", () => {
  const tree = renderStack(vpsStack({}));

  it("a package.json of the user's that names the generators and plop, so `npm install` then `npx plop add-target` work", () => {
    const pkg = tree.get("package.json")!;
    expect(pkg.ownership).toBe("scaffold");
    const json = JSON.parse(pkg.content);
    expect(json).toMatchObject({ name: "test-infra", private: true, scripts: { "add-target": "plop add-target", "remove-target": "plop remove-target" } });
    expect(Object.keys(json.devDependencies).sort()).toEqual(["@nixos-stack/check", "@nixos-stack/generators", "create-nixos-stack", "plop"]);
  });

  it("a managed plopfile that registers the repo generators, and node_modules kept out of git", () => {
    const plopfile = tree.get("plopfile.mjs")!;
    expect(plopfile.ownership).toBe("managed");
    expect(plopfile.content.split("\n")[0]).toBe(`// ${MANAGED_NOTE}`);
    expect(plopfile.content).toContain('import { registerRepoGenerators } from "@nixos-stack/generators";');
    expect(tree.get(".gitignore")!.content).toMatch(/^node_modules\/$/m);
  });
});
