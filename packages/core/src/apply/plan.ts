import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { FileTree, Ownership } from "../render/file-tree.js";
import { contentHash } from "./hash.js";
import { readLock, type StackLock } from "./lock.js";

export type PlanAction =
  | "create"
  /** a managed file the user has not touched, with new content */
  | "update"
  | "unchanged"
  /** a scaffold file that exists: it is the user's now */
  | "keep-user-edit"
  /** a managed file edited by hand: reported, never overwritten (unless --force) */
  | "conflict"
  /** --force replaces a user's file */
  | "overwrite";

export interface PlanEntry {
  path: string;
  action: PlanAction;
  ownership: Ownership;
}

export interface Plan {
  dir: string;
  entries: PlanEntry[];
  lock: StackLock;
  /** the target did not exist or was empty: the whole tree can be renamed into place at once */
  fresh: boolean;
}

/** A file's text, or undefined when it does not exist. */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

export async function isFreshTarget(dir: string): Promise<boolean> {
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) return false;
    const { readdir } = await import("node:fs/promises");
    return (await readdir(dir)).length === 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return true;
    throw err;
  }
}

/** Compare the rendered tree with what is on disk. Reads only. */
export async function plan(tree: FileTree, dir: string, options: { force?: boolean } = {}): Promise<Plan> {
  const lock = await readLock(dir);
  const fresh = await isFreshTarget(dir);
  const entries: PlanEntry[] = [];
  for (const [path, file] of tree) {
    const onDisk = fresh ? undefined : await readIfExists(join(dir, path));
    let action: PlanAction;
    if (onDisk === undefined) action = "create";
    else if (onDisk === file.content) action = "unchanged";
    else if (options.force) action = "overwrite";
    else if (file.ownership === "scaffold") action = "keep-user-edit";
    else action = lock.managed[path] === contentHash(onDisk) ? "update" : "conflict";
    entries.push({ path, action, ownership: file.ownership });
  }
  return { dir, entries, lock, fresh };
}

export function planHasConflicts(p: Plan): boolean {
  return p.entries.some((e) => e.action === "conflict");
}
