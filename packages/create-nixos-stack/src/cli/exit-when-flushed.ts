/**
 * How the bin ends once main() has settled: at once when stdout and stderr hold nothing unwritten,
 * else by Node's own end of the event loop, which waits for them.
 *
 * Why not always the latter: once the event loop is done, Node runs the exit handlers and then
 * tears down V8's isolate and its own environment, unmapping the heap page by page. After the last
 * file is renamed into place, a scaffold made 215 system calls that way against 93 with
 * process.exit() (strace), and valgrind's cachegrind counted about 5 M instructions fewer (621 M
 * against 629 M, medians of 3). That is well under a millisecond, below what this machine's wall
 * clock resolves from run to run (README, Speed); nothing is left to do by then, so it is skipped.
 *
 * Why the check: on POSIX a write to a pipe is asynchronous (Node's docs, "A note on process I/O"),
 * so `create-nixos-stack … | slow-reader` can leave bytes queued in the stream, and process.exit()
 * would drop them. Files and terminals are written synchronously; their queue is always empty.
 */
export interface QueuedOutput {
  /** bytes written to the stream but not yet handed to the operating system (Writable.writableLength) */
  readonly writableLength: number;
}

/** @returns whether it exited (always true with the real process.exit, which does not return) */
export function exitWhenFlushed(code: number, streams: readonly QueuedOutput[], exit: (code: number) => void): boolean {
  if (streams.some((stream) => stream.writableLength > 0)) return false;
  exit(code);
  return true;
}
