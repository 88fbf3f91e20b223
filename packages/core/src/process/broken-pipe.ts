/**
 * `nixos-stack-check --help | head -1`: the reader closes the pipe early and the next write
 * fails with EPIPE. That is the reader's choice, not an error of ours: stop writing and exit
 * quietly (status 0, as `yes | head` does) instead of an unhandled 'error' event with a stack.
 */
export function exitQuietlyOnBrokenPipe(stream: NodeJS.WriteStream, exit: (code: number) => void = process.exit): void {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") exit(0);
    else throw err;
  });
}
