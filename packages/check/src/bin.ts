#!/usr/bin/env node
import { main } from "./cli.js";

main(process.argv, { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    // a crash is "could not run", never "sound"
    process.exitCode = 2;
  },
);
