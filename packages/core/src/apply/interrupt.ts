/**
 * Ctrl-C while a CLI writes. apply marks its two critical sections (staging, renaming into place)
 * with `deferInterrupts`, and the create bin marks its first commit the same way; a SIGINT inside
 * one is held until the section has settled, so no write is in flight when the staging directory
 * is removed, the tree is never half old, half new, and a commit is never cut in two. Outside a
 * section the exit says what is on disk: nothing before apply has written, the complete repo
 * after (`noteWritten`). A CLI calls `interruptApply()` from its SIGINT handler.
 */

const STATE = Symbol.for("nixos-stack.interrupt-state");

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

interface InterruptState {
  depth: number;
  pendingExit: number | undefined;
  idleMessage: string;
}

/**
 * One state per process, kept on globalThis: the bundled create bin's SIGINT handler is in cli.cjs,
 * and a bundle file imported beside it may carry a copy of this module of its own
 * (create-nixos-stack/build.mjs); the handler must see every copy's sections.
 */
const state: InterruptState = ((globalThis as { [STATE]?: InterruptState })[STATE] ??= { depth: 0, pendingExit: undefined, idleMessage: "\nCancelled; nothing was written.\n" });

/**
 * Run `work`; if an interrupt arrived meanwhile, run `onInterrupted` (cleanup; given how `work`
 * ended, returns the message) once `work` has settled, then exit.
 */
export async function deferInterrupts<T>(work: () => Promise<T>, onInterrupted: (outcome: Outcome<T>) => Promise<string>): Promise<T> {
  state.depth++;
  let outcome: Outcome<T>;
  try {
    outcome = { ok: true, value: await work() };
  } catch (error) {
    outcome = { ok: false, error };
  } finally {
    state.depth--;
  }
  if (state.pendingExit !== undefined && state.depth === 0) {
    process.stderr.write(await onInterrupted(outcome));
    process.exit(state.pendingExit);
  }
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

/** From now on an interrupt outside a critical section prints `message` (what is on disk, and what to run next). */
export function noteWritten(message: string): void {
  state.idleMessage = message;
}

/** @returns "deferred" inside a critical section (the process exits when it ends); otherwise exits now. */
export function interruptApply(code = 130): "deferred" | never {
  if (state.depth > 0) {
    state.pendingExit = code;
    return "deferred";
  }
  process.stderr.write(state.idleMessage);
  process.exit(code);
}
