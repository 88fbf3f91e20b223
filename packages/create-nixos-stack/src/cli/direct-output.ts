/**
 * The bin's stdout and stderr, written with `fs.writeSync` on file descriptors 1 and 2 until
 * something needs the process's own streams. Creating `process.stdout` and `process.stderr` (a
 * SyncWriteStream for a file, a net.Socket for a pipe, a tty.WriteStream for a terminal) and
 * their first writes cost a start 3.0 ms, against 0.37 ms for the same writes on the descriptors
 * (README, Speed); a scaffold writes two short texts.
 *
 * A write is whole and synchronous, as the streams' writes are for files and terminals. What makes
 * it hand over to the stream (`handOver`), after which every write goes there:
 * - a prompt ahead (io.ts, `useStreams`): inquirer writes to process.stdout itself, and the two
 *   must not overtake each other;
 * - a descriptor that cannot take the bytes now (EAGAIN: a non-blocking pipe left full); what
 *   was not written goes to the stream, which queues it (and the bin then waits for it to drain:
 *   exit-when-flushed.ts).
 * A reader that closed the pipe (EPIPE: `create-nixos-stack --help | head`) gets nothing more: the
 * write and every later one are dropped, and the run ends with its own exit code (a sync that
 * meets a conflict still exits 1, and still says so on stderr).
 */
import { fstatSync, statSync, writeSync } from "node:fs";
import type { Output } from "../io.js";

/** An Io output (io.ts) that also says what is queued (exit-when-flushed.ts). */
export interface DirectOutput extends Output {
  write(text: string): boolean;
  /** whether the descriptor is a terminal (colours) */
  readonly isTTY: boolean;
  /** bytes queued and not yet written: 0 before a hand-over, the stream's own count after */
  readonly writableLength: number;
  /** From now on, writes go through the stream (made now, if it was not yet). */
  handOver(): void;
}

export function directOutput(fd: number, stream: () => NodeJS.WriteStream, platform = process.platform): DirectOutput {
  // Windows: a console takes UTF-16 through the stream (WriteConsoleW), not bytes on a descriptor
  let handedOver = platform === "win32";
  let tty: boolean | undefined;
  let readerGone = false;
  const output: DirectOutput = {
    write(text) {
      if (handedOver) return stream().write(text);
      if (readerGone) return false;
      const bytes = Buffer.from(text, "utf8");
      let written = 0;
      while (written < bytes.length) {
        try {
          written += writeSync(fd, bytes, written);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === "EPIPE") {
            readerGone = true;
            return false;
          }
          if (code !== "EAGAIN") throw err;
          output.handOver();
          return stream().write(bytes.subarray(written));
        }
      }
      return true;
    },
    get isTTY() {
      if (handedOver) return Boolean(stream().isTTY);
      tty ??= isTerminal(fd);
      return tty;
    },
    get writableLength() {
      return handedOver ? stream().writableLength : 0;
    },
    handOver() {
      handedOver = true;
      stream(); // made now, with its handlers, before anyone else writes to it
    },
  };
  return output;
}

/**
 * A terminal is always a character device, and /dev/null is none: a file, a pipe, a socket or
 * /dev/null is answered from fstat. Any other character device asks node:tty, which loads node:net
 * with it (about 2 ms), where the stream would have been a tty.WriteStream, which loads the same.
 */
function isTerminal(fd: number): boolean {
  try {
    const info = fstatSync(fd);
    if (!info.isCharacterDevice() || info.rdev === statSync("/dev/null").rdev) return false;
  } catch {
    return false;
  }
  return process.getBuiltinModule("node:tty").isatty(fd);
}
