/** What is at the target path before anything is written: decides "fresh", and the words of a refusal. */
import { readdir, readFile, stat } from "node:fs/promises";
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

/** True when HEAD of the repository in `gitDir` names a branch with no commit yet (`git init`, nothing more). */
async function hasNoCommit(gitDir: string): Promise<boolean> {
  const head = await readFile(join(gitDir, "HEAD"), "utf8").catch(() => undefined);
  const ref = head?.match(/^ref: (refs\/heads\/\S+)\s*$/)?.[1];
  if (!ref) return false; // a detached HEAD is a commit; an unreadable one is not ours to judge
  // a branch is a loose ref file or a line of packed-refs (git-pack-refs(1))
  if ((await stat(join(gitDir, ref)).catch(() => undefined)) !== undefined) return false;
  const packed = await readFile(join(gitDir, "packed-refs"), "utf8").catch(() => "");
  return !packed.split("\n").some((line) => line.endsWith(` ${ref}`));
}

export async function inspectTarget(dir: string): Promise<TargetState> {
  let info;
  try {
    info = await stat(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw err;
  }
  if (!info.isDirectory()) return "file";
  const entries = await readdir(dir);
  if (entries.length === 0) return "empty";
  if (entries.length === 1 && entries[0] === ".git") {
    const git = join(dir, ".git");
    // a `.git` file (a worktree or submodule link) points elsewhere: treat it as history
    if (!(await stat(git)).isDirectory()) return "git-with-history";
    return (await hasNoCommit(git)) ? "empty-git" : "git-with-history";
  }
  return "not-empty";
}
