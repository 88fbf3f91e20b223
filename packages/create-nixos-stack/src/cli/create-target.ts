/** May `create` write into this directory? Refusals say what is there and what to do instead. */
import { inspectTarget, isFreshState, StackError } from "@nixos-stack/core";

export async function checkCreateTarget(dir: string, force: boolean): Promise<void> {
  const state = await inspectTarget(dir);
  if (state === "file") throw new StackError("target-not-a-directory", `${dir} is a file: choose a directory (a new one, or an empty one)`);
  if (force || isFreshState(state)) return;
  if (state === "git-with-history") {
    throw new StackError("target-not-empty", `${dir} is a git repository with commits: choose a new directory, or --force to add the stack to it (you then commit the files yourself)`);
  }
  throw new StackError("target-not-empty", `${dir} is not empty: choose a new directory, use --sync to update a nixos-stack repo, or --force to write into it anyway`);
}
