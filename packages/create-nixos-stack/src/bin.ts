#!/usr/bin/env node
/**
 * The `npm create nixos-stack` entry, bundled by build.mjs as dist/bundle/bin.cjs. CommonJS on
 * purpose: on Node 20 an ES-module entry starts Node's ESM loader, which costs more than the whole
 * bundled CLI needs to load; the CLI is one CommonJS bundle (dist/bundle/cli.cjs), and only the
 * rare paths (--help and errors: commander; git; prompts; the subcommands) are ES modules,
 * imported when they run.
 *
 * Before the CLI is loaded, V8's code cache goes on, so a run after the first skips compiling the
 * bundle: Node ≥ 22.1 keeps it itself (module.enableCompileCache, in os.tmpdir()/node-compile-cache);
 * Node 20 has no such API, and code-cache.ts does the same by hand (in
 * os.tmpdir()/create-nixos-stack-code-cache-<uid>). NODE_DISABLE_COMPILE_CACHE=1 turns either off.
 */
import { tmpdir } from "node:os";
import { runPurpose } from "./cli/run-purpose.js";
import { codeCacheDir, codeCacheStore, installCodeCache, type ModuleClass } from "./code-cache.js";

/** Node ≥ 22.1 keeps a compile cache of its own (module.enableCompileCache). */
function hasOwnCompileCache(version = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major > 22 || (major === 22 && minor >= 1);
}

if (hasOwnCompileCache()) {
  // only here is node:module required: on Node 20 it would load the ES-module loader for nothing
  (process.getBuiltinModule("node:module") as { enableCompileCache?: () => unknown }).enableCompileCache?.();
} else if (!process.env.NODE_DISABLE_COMPILE_CACHE) {
  const dir = codeCacheDir(tmpdir());
  if (dir) {
    const cache = installCodeCache({
      root: __dirname,
      store: codeCacheStore(dir, __dirname),
      Module: module.constructor as ModuleClass,
      purpose: runPurpose(process.argv.slice(2)),
    });
    process.on("exit", () => cache.save());
    // Node 20 loses the import() callback of a script compiled from cached bytecode: the bundle's
    // lazy ES-module files (commander, execa, the subcommands, node-plop) are imported from here (build.mjs: routeImports)
    (globalThis as Record<symbol, unknown>)[Symbol.for("create-nixos-stack.import")] = (specifier: string) => import(specifier);
  }
}
require("./cli.cjs");
