/** Runs the CLI: Ctrl-C handling, then main() with the real process streams; bin.cts loads it (bundled as dist/bundle/cli.cjs). */
import { exitQuietlyOnBrokenPipe, interruptApply } from "@nixos-stack/core";
import { exitWhenFlushed } from "./cli/exit-when-flushed.js";
import { main } from "./main.js";

// Ctrl-C: before the files are staged nothing exists yet; while staging, the staging directory is
// removed; while renaming into place, the exit waits until the repo is complete (core/apply/interrupt).
process.on("SIGINT", () => interruptApply(130));
// `--help | head`: a reader that closes the pipe early ends the run quietly.
exitQuietlyOnBrokenPipe(process.stdout);

main(process.argv, {
  stdout: process.stdout,
  stderr: process.stderr,
  // read when a command asks (never with --yes): process.stdin, made for a file or a pipe, loads
  // Node's file streams, fs/promises and readline, about 1.5 ms of a start (README, Speed)
  get stdinIsTTY() {
    return Boolean(process.stdin.isTTY);
  },
  env: process.env,
}).then(
  (code) => {
    process.exitCode = code;
    // every file is written: end now unless output is still queued for a pipe (cli/exit-when-flushed.ts)
    exitWhenFlushed(code, [process.stdout, process.stderr], process.exit);
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
