/** No import circles in packages/, generators/ and templates/src: the one circle still there is listed exactly, so a new one fails. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { importCircles, importGraph } from "./lib/import-circles.mjs";

/**
 * None left: the kinds' features read the shared leaf modules (secret-howto.ts: where a secret
 * file lives and how to create it) and the one-direction records (stateful-paths.ts reads the
 * kinds, never the reverse), and the node exporter both monitoring and containers import is a
 * feature of its own (node-exporter.ts). A new circle fails here.
 */
const KNOWN_CIRCLES: string[][] = [];

describe("import circles", () => {
  it("the workspace has none but the known one", () => {
    expect(importCircles(importGraph())).toEqual(KNOWN_CIRCLES);
  });

  it("the create bin's commands stand below main.ts: nothing under commands/ or cli/ imports it", () => {
    const graph = importGraph();
    const importers = [...graph].filter(([, targets]) => targets.includes("packages/create-nixos-stack/src/main.ts")).map(([file]) => file);
    expect(importers.filter((f) => !f.endsWith(".test.ts"))).toEqual(["packages/create-nixos-stack/src/index.ts", "packages/create-nixos-stack/src/run.ts"]);
  });

  describe("the checker", () => {
    const root = mkdtempSync(join(tmpdir(), "import-circles-"));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    write("packages/a/package.json", JSON.stringify({ name: "@x/a", exports: { ".": { source: "./src/index.ts" } } }));
    write("packages/a/src/index.ts", 'export { b } from "./b.js";\n');
    write("packages/a/src/b.ts", 'import type { Io } from "./index.js";\nexport const b = (io: Io) => io;\n');
    write("packages/a/src/lazy.ts", 'export const run = () => import("./lazy-user.js");\n');
    write("packages/a/src/lazy-user.ts", 'import { run } from "./lazy.js";\nexport default run;\n');
    write("packages/c/package.json", JSON.stringify({ name: "@x/c", exports: { ".": { source: "./src/index.ts" } } }));
    write("packages/c/src/index.ts", 'import { b } from "@x/a";\nexport const c = b;\n');
    write("generators/package.json", JSON.stringify({ name: "@x/g" }));
    write("templates/package.json", JSON.stringify({ name: "@x/t" }));
    mkdirSync(join(root, "generators/src"));
    mkdirSync(join(root, "templates/src"));

    it("finds a circle made by a type-only import, and one made by a dynamic import()", () => {
      expect(importCircles(importGraph(root))).toEqual([
        ["packages/a/src/b.ts", "packages/a/src/index.ts"],
        ["packages/a/src/lazy-user.ts", "packages/a/src/lazy.ts"],
      ]);
    });

    it("follows a workspace package into its sources", () => {
      expect(importGraph(root).get("packages/c/src/index.ts")).toEqual(["packages/a/src/index.ts"]);
    });
  });
});
