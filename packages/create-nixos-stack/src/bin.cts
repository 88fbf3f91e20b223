#!/usr/bin/env node
/**
 * The `npm create nixos-stack` entry. CommonJS on purpose: on Node 20 an ES-module entry starts
 * Node's ESM loader, which costs more than the whole bundled CLI needs to load; the CLI is one
 * CommonJS bundle (dist/bundle/cli.cjs, built by build.mjs), and only the rare paths (--help and
 * errors: commander; git; prompts) are ES modules, imported when they run.
 *
 * Node ≥ 22.1 keeps the bytecode of the bundle in a cache directory (os.tmpdir()/node-compile-cache;
 * NODE_DISABLE_COMPILE_CACHE=1 turns it off), so a later run skips compiling it. Node 20 has no
 * such API and compiles every run. The cache must be on before the CLI is loaded, hence two files.
 */
import nodeModule = require("node:module");

(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
require("./cli.cjs");
