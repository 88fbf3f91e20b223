import { readFile } from "node:fs/promises";
import { join } from "node:path";

/** Where the hashes of managed files, as last written, are kept inside a generated repo. */
export const LOCK_PATH = ".nixos-stack/lock.json";

export interface StackLock {
  version: 1;
  /** path → sha256 of the managed file as nixos-stack last wrote it */
  managed: Record<string, string>;
}

export function emptyLock(): StackLock {
  return { version: 1, managed: {} };
}

export async function readLock(dir: string): Promise<StackLock> {
  try {
    const data = JSON.parse(await readFile(join(dir, LOCK_PATH), "utf8")) as Partial<StackLock>;
    return { version: 1, managed: data.managed ?? {} };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return emptyLock();
    throw err;
  }
}

export function lockText(lock: StackLock): string {
  const managed = Object.fromEntries(Object.entries(lock.managed).sort(([a], [b]) => (a < b ? -1 : 1)));
  return `${JSON.stringify({ version: 1, managed }, null, 2)}\n`;
}
