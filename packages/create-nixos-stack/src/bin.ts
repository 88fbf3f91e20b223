#!/usr/bin/env node
/**
 * The `npm create nixos-stack` entry: turns on V8's compile cache, then loads the CLI.
 *
 * Node ≥ 22.1 keeps the bytecode of the bundle in a cache directory (os.tmpdir()/node-compile-cache;
 * NODE_DISABLE_COMPILE_CACHE=1 turns it off), so a later run skips parsing and compiling it.
 * Node 20 has no such API and compiles every run, as before. The CLI is a dynamic import because
 * static imports are loaded before this module's code runs, i.e. before the cache is on.
 */
import module from "node:module";

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
await import("./run.js");
