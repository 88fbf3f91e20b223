#!/usr/bin/env node
// Import circles in the workspace's TypeScript: every module under packages/*/src, generators/src and
// templates/src, with every import counted (static, type-only, re-exports, dynamic import()), the
// workspace packages (@nixos-stack/*, create-nixos-stack) followed into their sources through the
// "source" export condition. A circle is a strongly connected component of that graph: a set of
// modules each of which reaches every other by imports.
//
//   node scripts/lib/import-circles.mjs     prints each circle, exit 1 if there is one
// scripts/import-circles.test.ts holds the list of the circles still known (exactly), so a new one fails.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";

const ROOT = resolve(new URL("../..", import.meta.url).pathname);
const SOURCE = /\.(ts|mts|cts|mjs|js)$/;

const walk = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (e.name === "node_modules" || e.name === "dist" ? [] : walk(join(dir, e.name))) : [join(dir, e.name)]));

/** The source folders of the workspace's packages, and each package's exports resolved to files. */
function workspace(root) {
  const dirs = [...readdirSync(join(root, "packages")).map((d) => join(root, "packages", d)), join(root, "generators"), join(root, "templates")].filter((d) => existsSync(join(d, "package.json")));
  const packages = new Map();
  for (const dir of dirs) {
    const { name, exports = {} } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const entries = new Map();
    for (const [subpath, target] of Object.entries(typeof exports === "string" ? { ".": exports } : exports)) {
      const file = typeof target === "string" ? target : (target.source ?? target.default);
      if (typeof file === "string") entries.set(subpath, resolve(dir, file));
    }
    packages.set(name, entries);
  }
  return { sourceDirs: dirs.map((d) => join(d, "src")).filter(existsSync), packages };
}

function resolveRelative(from, specifier) {
  const base = resolve(dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, ".ts"), base.replace(/\.mjs$/, ".mts"), base.replace(/\.cjs$/, ".cts"), base, `${base}.ts`, join(base, "index.ts")];
  return candidates.find((c) => SOURCE.test(c) && existsSync(c));
}

/** Module → the modules it imports, both as paths relative to the root. */
export function importGraph(root = ROOT) {
  const { sourceDirs, packages } = workspace(root);
  const files = sourceDirs.flatMap((d) => walk(d)).filter((f) => SOURCE.test(f) && !f.endsWith(".d.ts"));
  const known = new Set(files);
  const graph = new Map();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    const targets = new Set();
    for (const { fileName: spec } of importedFiles) {
      let target;
      if (spec.startsWith(".")) target = resolveRelative(file, spec);
      else {
        const [, name, sub] = /^((?:@[^/]+\/)?[^/]+)(\/.*)?$/.exec(spec) ?? [];
        target = packages.get(name)?.get(sub ? `.${sub}` : ".");
      }
      if (target && known.has(target)) targets.add(relative(root, target).split(sep).join("/"));
    }
    graph.set(relative(root, file).split(sep).join("/"), [...targets].sort());
  }
  return graph;
}

/** The circles of a graph (Tarjan's strongly connected components with more than one module, or a
 * module importing itself), each sorted, the list sorted by its first module. */
export function importCircles(graph) {
  let index = 0;
  const stack = [];
  const info = new Map();
  const circles = [];
  const visit = (v) => {
    info.set(v, { index, low: index, onStack: true });
    index++;
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!info.has(w)) {
        visit(w);
        info.get(v).low = Math.min(info.get(v).low, info.get(w).low);
      } else if (info.get(w).onStack) info.get(v).low = Math.min(info.get(v).low, info.get(w).index);
    }
    if (info.get(v).low === info.get(v).index) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        info.get(w).onStack = false;
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) circles.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!info.has(v)) visit(v);
  return circles.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const circles = importCircles(importGraph());
  for (const c of circles) console.log(`circle of ${c.length} modules:\n  ${c.join("\n  ")}`);
  if (!circles.length) console.log("no import circles");
  process.exitCode = circles.length ? 1 : 0;
}
