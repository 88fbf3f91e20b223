/** How every command reports an error: the message, then the exit code (1 refused, 130 Ctrl-C); a bug is rethrown. */
import { StackError } from "@nixos-stack/core";
import { colors, type Io } from "../io.js";

export function exitCodeForError(err: unknown, io: Io): number {
  const c = colors(io);
  if (err instanceof Error && err.name === "ExitPromptError") {
    io.stderr.write("Cancelled; nothing was written.\n");
    return 130;
  }
  if (err instanceof StackError) {
    io.stderr.write(`${c.red("✖")} ${err.message}\n`);
    return err.type === "cancelled" ? 130 : 1;
  }
  const errno = err as NodeJS.ErrnoException;
  if (typeof errno?.code === "string" && typeof errno.syscall === "string") {
    // a file system refusal (permissions, a file where a directory should be, a full disk):
    // apply stages first, so the target is as it was
    io.stderr.write(`${c.red("✖")} cannot ${errno.syscall} ${errno.path ?? ""} (${errno.code}); nothing was changed. Check the directory's permissions and free space, or choose another directory.\n`);
    return 1;
  }
  throw err;
}
