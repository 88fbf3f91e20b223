#!/usr/bin/env node
import { exitQuietlyOnBrokenPipe } from "@nixos-stack/core";
import { main } from "./cli.js";

// `--help | head`: a reader that closes the pipe early ends the run quietly.
exitQuietlyOnBrokenPipe(process.stdout);

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
