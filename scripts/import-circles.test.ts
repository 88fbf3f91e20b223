/** No import circles in packages/, generators/ and templates/src: the one circle still there is listed exactly, so a new one fails. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { importCircles, importGraph } from "./lib/import-circles.mjs";

/**
 * None left: the kinds' features read the shared leaf modules (secret-howto.ts: where a secret
 * file lives and how to create it), the cross-cutting features read the kinds registry
 * (templates/src/kinds/registry.ts reads each kind's file, never the reverse), and the node
 * exporter both monitoring and containers import is a feature of its own (node-exporter.ts).
 * A new circle fails here.
 */
const KNOWN_CIRCLES: string[][] = [];

/**
 * The layers, in the order the data flows: the manifest, escaping, render engine and apply (core)
 * at the bottom; the templates (features render a manifest to files) on it; the generators
 * (questions → manifest → writeStack) on both; the two bins on top. A module imports only from its
 * own layer or a lower one: an import from a lower layer back up fails here.
 */
const LAYERS: ReadonlyArray<readonly [prefix: string, rank: number]> = [
  ["packages/core/", 0],
  ["templates/", 1],
  ["generators/", 2],
  ["packages/create-nixos-stack/", 3],
  ["packages/check/", 3],
];
const layerOf = (file: string) => LAYERS.find(([prefix]) => file.startsWith(prefix))?.[1];

/** Imports that run from a lower layer up to a higher one (or between the two bins), as "from → to". */
function upwardImports(graph: Map<string, string[]>): string[] {
  return [...graph].flatMap(([file, targets]) =>
    targets
      .filter((target) => {
        const [from, to] = [layerOf(file), layerOf(target)];
        if (from === undefined || to === undefined) return false;
        return to > from || (to === from && from === 3 && target.split("/")[1] !== file.split("/")[1]);
      })
      .map((target) => `${file} → ${target}`),
  );
}

describe("layers", () => {
  it("no module imports from a layer above its own", () => {
    expect(upwardImports(importGraph())).toEqual([]);
  });

  it("the check finds a planted upward import (core → templates) and one bin importing the other", () => {
    const graph = new Map(importGraph());
    graph.set("packages/core/src/planted.ts", ["templates/src/index.ts"]);
    graph.set("packages/check/src/planted.ts", ["packages/create-nixos-stack/src/main.ts"]);
    expect(upwardImports(graph)).toEqual([
      "packages/core/src/planted.ts → templates/src/index.ts",
      "packages/check/src/planted.ts → packages/create-nixos-stack/src/main.ts",
    ]);
  });
});

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
