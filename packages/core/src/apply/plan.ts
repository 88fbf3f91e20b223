import { readFileSync } from "node:fs";
import { join } from "node:path";
import { StackError } from "../errors.js";
import type { FileTree, Ownership } from "../render/file-tree.js";
import { contentHasher, hashMatches } from "./hash.js";
import { readLock, type StackLock } from "./lock.js";
import { inspectTarget, isFreshState } from "./target.js";

export type PlanAction =
  | "create"
  /** a managed file the user has not touched, with new content */
  | "update"
  | "unchanged"
  /** a scaffold file that exists: it is the user's now */
  | "keep-user-edit"
  /** a managed file edited by hand: reported, never overwritten (unless --force) */
  | "conflict"
  /** --force replaces a file the user changed */
  | "overwrite"
  /** a managed file the manifest no longer renders (e.g. a removed host), untouched since written */
  | "delete"
  /** such a file, but edited by hand: left in place and reported */
  | "keep-orphan";

export interface PlanEntry {
  path: string;
  action: PlanAction;
  ownership: Ownership;
}

export interface Plan {
  dir: string;
  entries: PlanEntry[];
  lock: StackLock;
  /** the target did not exist, was empty, or held only a `.git` without commits: nothing on disk to compare */
  fresh: boolean;
}

/**
 * What --force may replace: "managed" (sync: generated files edited by hand; the user's own
 * files are never touched) or "all" (create into a non-empty directory).
 */
export type ForceScope = "none" | "managed" | "all";

/**
 * A file's text, or undefined when it does not exist. Read synchronously: plan reads every file of
 * the repo one after the other, and on a 200-target repo (about 1,200 files) the round trips
 * through libuv's thread pool left the process idle for most of an add-target (README, Speed).
 */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

export async function isFreshTarget(dir: string): Promise<boolean> {
  return isFreshState(await inspectTarget(dir));
}

export interface PlanOptions {
  force?: boolean | ForceScope;
  /**
   * Scaffold files this plan may rewrite although they exist: only the manifest, when
   * add-target and the like edit it (its new text is in the tree). A sync never passes it.
   */
  replace?: readonly string[];
}

/** Compare the rendered tree with what is on disk. Reads only. */
export async function plan(tree: FileTree, dir: string, options: PlanOptions = {}): Promise<Plan> {
  const force: ForceScope = options.force === true ? "all" : options.force === false || options.force === undefined ? "none" : options.force;
  const state = await inspectTarget(dir);
  if (state === "file") throw new StackError("target-not-a-directory", `${dir} is a file: choose a directory (a new one, or an empty one)`);
  const fresh = isFreshState(state);
  const lock = fresh ? { version: 1 as const, managed: {} } : await readLock(dir);
  const entries: PlanEntry[] = [];
  const hash = await contentHasher();
  for (const [path, file] of tree) {
    const onDisk = fresh ? undefined : await readIfExists(join(dir, path));
    let action: PlanAction;
    if (onDisk === undefined) action = "create";
    else if (onDisk === file.content) action = "unchanged";
    else if (file.ownership === "scaffold") action = options.replace?.includes(path) ? "update" : force === "all" ? "overwrite" : "keep-user-edit";
    else if (hashMatches(lock.managed[path], onDisk, hash)) action = "update";
    else action = force === "none" ? "conflict" : "overwrite";
    entries.push({ path, action, ownership: file.ownership });
  }
  for (const [path, recorded] of Object.entries(lock.managed).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (tree.has(path)) continue;
    const onDisk = await readIfExists(join(dir, path));
    if (onDisk === undefined) continue;
    // an edited orphan is never deleted, not even by --force: it holds the user's work
    entries.push({ path, action: hashMatches(recorded, onDisk, hash) ? "delete" : "keep-orphan", ownership: "managed" });
  }
  return { dir, entries, lock, fresh };
}
