/** After the files are written: git init + first commit (flakes only see tracked files). */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";

export type StepResult = { status: "done" } | { status: "skipped" | "failed"; reason: string };

const FALLBACK_IDENTITY = { GIT_AUTHOR_NAME: "nixos-stack", GIT_AUTHOR_EMAIL: "nixos-stack@localhost", GIT_COMMITTER_NAME: "nixos-stack", GIT_COMMITTER_EMAIL: "nixos-stack@localhost" };

/**
 * git in a session of its own (`detached`, i.e. setsid): Ctrl-C in the terminal signals the whole
 * foreground process group, and a git killed halfway leaves a `.git` without a commit. Detached,
 * git finishes and the bin exits once it has (see `firstCommit`).
 */
const git = (dir: string, args: string[], env: Record<string, string> = {}) => execa("git", args, { cwd: dir, env, detached: true });

async function hasIdentity(dir: string): Promise<boolean> {
  const email = await execa("git", ["config", "user.email"], { cwd: dir, reject: false, detached: true });
  return email.exitCode === 0 && email.stdout.trim() !== "";
}

export async function gitInit(dir: string): Promise<StepResult> {
  const version = await execa("git", ["--version"], { reject: false, detached: true }).catch(() => undefined);
  if (!version || version.exitCode !== 0) return { status: "skipped", reason: "git is not installed; run `git init && git add -A` before using the flake" };
  // A repo of its own even inside another one: a flake is the nearest .git above flake.nix, and a
  // parent repo would not track (or would ignore) these files. A repository of the target's own is
  // used when it has no commit yet (someone ran `git init`); one with history is left alone.
  if (existsSync(join(dir, ".git"))) {
    const head = await execa("git", ["rev-parse", "--verify", "--quiet", "HEAD"], { cwd: dir, reject: false, detached: true });
    if (head.exitCode === 0) return { status: "skipped", reason: "the directory is already a git repository with commits; `git add -A` the new files yourself" };
  }
  try {
    if (!existsSync(join(dir, ".git"))) await git(dir, ["init", "-q", "-b", "main"]);
    await git(dir, ["add", "-A"]);
    await git(dir, ["commit", "-q", "-m", "Initial commit from nixos-stack"], (await hasIdentity(dir)) ? {} : FALLBACK_IDENTITY);
    return { status: "done" };
  } catch (err) {
    // the files are written; a commit refused (e.g. signing required) is the user's to finish
    const detail = (err as { stderr?: string }).stderr?.trim().split("\n")[0] || (err as Error).message;
    return { status: "failed", reason: `the first commit failed (${detail}); the files are written: run \`git add -A && git commit\` yourself` };
  }
}
