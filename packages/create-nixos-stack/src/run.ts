/** Runs the CLI: Ctrl-C handling, then main() with the output on the process's descriptors (cli/direct-output.ts); bin.cts loads it (bundled as dist/bundle/cli.cjs). */
import { exitQuietlyOnBrokenPipe, interruptApply } from "@nixos-stack/core";
import { directOutput } from "./cli/direct-output.js";
import { exitWhenFlushed } from "./cli/exit-when-flushed.js";
import { main } from "./main.js";

// Ctrl-C: before the files are staged nothing exists yet; while staging, the staging directory is
// removed; while renaming into place, the exit waits until the repo is complete (core/apply/interrupt).
process.on("SIGINT", () => interruptApply(130));

// written on the descriptors until a prompt or a full pipe needs the streams (cli/direct-output.ts),
// where a reader that closed the pipe (`--help | head`) gets nothing more. The streams, once made:
// a closed stdout ends the run quietly, as before; a closed stderr has no one left to tell
let stdoutStream: NodeJS.WriteStream | undefined;
let stderrStream: NodeJS.WriteStream | undefined;
const stdout = directOutput(1, () => (stdoutStream ??= quietOnBrokenPipe(process.stdout)));
// (its EPIPE is ignored: the "exit" of exitQuietlyOnBrokenPipe does nothing, so the run keeps its code)
const stderr = directOutput(2, () => (stderrStream ??= quietOnBrokenPipe(process.stderr, () => undefined)));

function quietOnBrokenPipe(stream: NodeJS.WriteStream, exit?: (code: number) => void): NodeJS.WriteStream {
  exitQuietlyOnBrokenPipe(stream, exit);
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
