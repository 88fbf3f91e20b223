/**
 * Ctrl-C while apply runs. apply marks its two critical sections (staging, renaming into place)
 * with `deferInterrupts`; a SIGINT inside one is held until the section has settled, so no write
 * is in flight when the staging directory is removed, and the tree is never half old, half new.
 * A CLI calls `interruptApply()` from its SIGINT handler.
 */

let depth = 0;
let pendingExit: number | undefined;

/**
 * Run `work`; if an interrupt arrived meanwhile, run `onInterrupted` (cleanup, returns the message)
 * once `work` has settled, then exit.
 */
export async function deferInterrupts<T>(work: () => Promise<T>, onInterrupted: () => Promise<string>): Promise<T> {
  depth++;
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: await work() };
  } catch (error) {
    outcome = { ok: false, error };
  } finally {
    depth--;
  }
  if (pendingExit !== undefined && depth === 0) {
    process.stderr.write(await onInterrupted());
    process.exit(pendingExit);
  }
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

/** @returns "deferred" inside a critical section (the process exits when it ends); otherwise exits now. */
export function interruptApply(code = 130): "deferred" | never {
  if (depth > 0) {
    pendingExit = code;
    return "deferred";
  }
  process.stderr.write("\nCancelled; nothing was written.\n");
  process.exit(code);
}
