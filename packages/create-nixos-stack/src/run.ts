/** Runs the CLI: Ctrl-C handling, then main() with the output on the process's descriptors (cli/direct-output.ts); bin.cts loads it (bundled as dist/bundle/cli.cjs). */
import { exitQuietlyOnBrokenPipe, interruptApply } from "@nixos-stack/core";
import { directOutput } from "./cli/direct-output.js";
import { exitWhenFlushed } from "./cli/exit-when-flushed.js";
import { main } from "./main.js";

// Ctrl-C: before the files are staged nothing exists yet; while staging, the staging directory is
// removed; while renaming into place, the exit waits until the repo is complete (core/apply/interrupt).
process.on("SIGINT", () => interruptApply(130));

// written on the descriptors until a prompt or a full pipe needs the streams (cli/direct-output.ts);
// `--help | head`: a reader that closes the pipe early ends the run quietly, on either path
let stdoutStream: NodeJS.WriteStream | undefined;
const stdout = directOutput(1, () => (stdoutStream ??= quietOnBrokenPipe(process.stdout)), () => process.exit(0));
// a closed stderr has no one left to tell: its writes are dropped
const stderr = directOutput(2, () => process.stderr, () => undefined);

function quietOnBrokenPipe(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  exitQuietlyOnBrokenPipe(stream);
  return stream;
}

main(process.argv, {
  stdout,
  stderr,
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
    exitWhenFlushed(code, [stdout, stderr], process.exit);
  },
  (err: unknown) => {
    stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
