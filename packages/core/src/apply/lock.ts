// node:fs/promises through fs.promises, read where it is called: a scaffold never calls it, and loading it costs a start about 1 ms (README, Speed)
import { promises as fsp } from "node:fs";
import { join } from "node:path";
import { StackError } from "../errors.js";

/** Where the hashes of managed files, as last written, are kept inside a generated repo. */
export const LOCK_PATH = ".nixos-stack/lock.json";

export interface StackLock {
  version: 1;
  /** path → the hash of the managed file as nixos-stack last wrote it (hash.ts: `xxh64-…`, or `sha256-…` from an older version) */
  managed: Record<string, string>;
}

export function emptyLock(): StackLock {
  return { version: 1, managed: {} };
}

export async function readLock(dir: string): Promise<StackLock> {
  let text: string;
  try {
    text = await fsp.readFile(join(dir, LOCK_PATH), "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return emptyLock();
    throw err;
  }
  try {
    const data = JSON.parse(text) as Partial<StackLock>;
    if (typeof data.managed !== "object" || data.managed === null) throw new Error('no "managed" object');
    return { version: 1, managed: data.managed };
  } catch (err) {
    throw new StackError(
      "invalid-lock",
      `${join(dir, LOCK_PATH)} is damaged (${(err as Error).message}): restore it with \`git checkout -- ${LOCK_PATH}\`, or delete it to treat every generated file as yours to review (they are then reported as conflicts, never overwritten)`,
    );
  }
}

export function lockText(lock: StackLock): string {
  const managed = Object.fromEntries(Object.entries(lock.managed).sort(([a], [b]) => (a < b ? -1 : 1)));
  return `${JSON.stringify({ version: 1, managed }, null, 2)}\n`;
}
