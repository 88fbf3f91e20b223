/**
 * What is at the target path before anything is written: decides "fresh", and the words of a refusal.
 * A few metadata calls, made synchronously (as apply's are): each would otherwise be a round trip
 * through libuv's thread pool, and a scaffold would start that pool for them alone (README, Speed).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export type TargetState =
  /** nothing there yet */
  | "missing"
  | "empty"
  /** only a `.git` with no commit (someone ran `git init`): fresh, and that repository is kept */
  | "empty-git"
  /** only a `.git`, but with history: someone's repository, not a fresh target */
  | "git-with-history"
  | "not-empty"
  /** a regular file (or anything else that is not a directory) */
  | "file";

/** A fresh target gets the whole tree at once; nothing in it has to be compared with the render. */
export function isFreshState(state: TargetState): boolean {
  return state === "missing" || state === "empty" || state === "empty-git";
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** True when HEAD of the repository in `gitDir` names a branch with no commit yet (`git init`, nothing more). */
function hasNoCommit(gitDir: string): boolean {
  const head = readOrUndefined(join(gitDir, "HEAD"));
  const ref = head?.match(/^ref: (refs\/heads\/\S+)\s*$/)?.[1];
  if (!ref) return false; // a detached HEAD is a commit; an unreadable one is not ours to judge
  // a branch is a loose ref file or a line of packed-refs (git-pack-refs(1))
  if (existsSync(join(gitDir, ref))) return false;
  const packed = readOrUndefined(join(gitDir, "packed-refs")) ?? "";
  return !packed.split("\n").some((line) => line.endsWith(` ${ref}`));
}

export async function inspectTarget(dir: string): Promise<TargetState> {
  let info;
  try {
    info = statSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw err;
  }
  if (!info.isDirectory()) return "file";
  const entries = readdirSync(dir);
  if (entries.length === 0) return "empty";
  if (entries.length === 1 && entries[0] === ".git") {
    const git = join(dir, ".git");
    // a `.git` file (a worktree or submodule link) points elsewhere: treat it as history
    if (!statSync(git).isDirectory()) return "git-with-history";
    return hasNoCommit(git) ? "empty-git" : "git-with-history";
  }
  return "not-empty";
}
