/**
 * `mkdir -p` in bounded time. Node's `mkdir(…, { recursive: true })` retries forever when a parent
 * exists but refuses children with ENOENT (under /proc: ENOENT for the child, EEXIST for the
 * parent, again and again, at 100% CPU, in a libuv thread that no Ctrl-C reaches; seen with Node
 * 20, see nodejs/node#27198 for the same loop on Windows). Here every directory is tried once.
 *
 * The calls are synchronous inside async functions, as apply's file writes are: one mkdir costs
 * less than its round trip through libuv's thread pool, and a scaffold makes about 15 directories
 * one after the other (README, Speed).
 */
import { mkdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { StackError } from "../errors.js";

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch (err) {
    // ENOTDIR: a file stands somewhere above; the walk up finds it and names it
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw err;
  }
}

/** mkdir, once: false when it already exists; `label` names the directory in an error (default: `path`). */
export async function makeDir(path: string, label = path): Promise<boolean> {
  try {
    mkdirSync(path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code === "ENOENT") {
      // the parent was found (or just made) a moment ago, yet the kernel says it is not there
      throw new StackError(
        "write-failed",
        `cannot create ${label}: ${dirname(path)} does not accept new directories (mkdir: ENOENT; a virtual file system such as /proc, or a broken symbolic link). Choose a directory on a normal file system.`,
      );
    }
    throw err;
  }
}

/** Creates `dir` and its missing ancestors; returns the directories it created, outermost first. */
export async function makeDirs(dir: string): Promise<string[]> {
  const missing: string[] = [];
  let current = resolve(dir);
  for (;;) {
    const info = statOrUndefined(current);
    if (info) {
      if (!info.isDirectory()) throw new StackError("write-failed", `cannot create ${dir}: ${current} is a file, not a directory. Choose another directory.`);
      break;
    }
    missing.unshift(current);
    if (dirname(current) === current) break;
    current = dirname(current);
  }
  const created: string[] = [];
  for (const path of missing) if (await makeDir(path)) created.push(path);
  return created;
}

/** Creates, under an existing `root`, the directory of every path and each directory between (parents first). */
export async function makeDirsWithin(root: string, paths: Iterable<string>): Promise<void> {
  const dirs = new Set<string>();
  for (const path of paths) {
    for (let dir = dirname(path); dir !== "." && dir !== "/" && !dirs.has(dir); dir = dirname(dir)) dirs.add(dir);
  }
  // sorted, a parent ("hosts") comes before its children ("hosts/a")
  for (const dir of [...dirs].sort()) await makeDir(join(root, dir));
}
