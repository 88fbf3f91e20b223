/**
 * Ctrl-C while apply runs. Staging directories are removed, so nothing partial is left; while
 * files are being renamed into place the exit waits until every rename is done, so the tree is
 * never half old, half new. A CLI calls `interruptApply()` from its SIGINT handler.
 */
import { rmSync } from "node:fs";

const stagingDirs = new Set<string>();
let committing = 0;
let exitAfterCommit: number | undefined;

export function trackStaging(dir: string): void {
  stagingDirs.add(dir);
}

export function untrackStaging(dir: string): void {
  stagingDirs.delete(dir);
}

export async function whileCommitting<T>(commit: () => Promise<T>): Promise<T> {
  committing++;
  try {
    return await commit();
  } finally {
    committing--;
    if (committing === 0 && exitAfterCommit !== undefined) {
      process.stderr.write("\nInterrupted after the files were written; the repo is complete.\n");
      process.exit(exitAfterCommit);
    }
  }
}

/** @returns "deferred" when a commit is in flight (the process exits when it ends), else cleans up and exits. */
export function interruptApply(code = 130, message = "\nCancelled; nothing was written.\n"): "deferred" | never {
  if (committing > 0) {
    exitAfterCommit = code;
    return "deferred";
  }
  for (const dir of stagingDirs) rmSync(dir, { recursive: true, force: true });
  process.stderr.write(message);
  process.exit(code);
}
