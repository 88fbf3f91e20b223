#!/usr/bin/env node
import { main } from "./main.js";

// Ctrl-C at a prompt: leave quietly; nothing has been written before the prompts end.
process.on("SIGINT", () => {
  process.stderr.write("\nCancelled; nothing was written.\n");
  process.exit(130);
});

main(process.argv, { stdout: process.stdout, stderr: process.stderr, stdinIsTTY: Boolean(process.stdin.isTTY), env: process.env }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
