/** After the files are written: git init + first commit (flakes only see tracked files). */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";

export type StepResult = { status: "done" } | { status: "skipped" | "failed"; reason: string };

const FALLBACK_IDENTITY = { GIT_AUTHOR_NAME: "nixos-stack", GIT_AUTHOR_EMAIL: "nixos-stack@localhost", GIT_COMMITTER_NAME: "nixos-stack", GIT_COMMITTER_EMAIL: "nixos-stack@localhost" };

async function hasIdentity(dir: string): Promise<boolean> {
  const email = await execa("git", ["config", "user.email"], { cwd: dir, reject: false });
  return email.exitCode === 0 && email.stdout.trim() !== "";
}

export async function gitInit(dir: string): Promise<StepResult> {
  const version = await execa("git", ["--version"], { reject: false }).catch(() => undefined);
  if (!version || version.exitCode !== 0) return { status: "skipped", reason: "git is not installed; run `git init && git add -A` before using the flake" };
  // A repo of its own even inside another one: a flake is the nearest .git above flake.nix, and a
  // parent repo would not track (or would ignore) these files. Only an existing repo root is left alone.
  if (existsSync(join(dir, ".git"))) {
    return { status: "skipped", reason: "the directory is already a git repository; `git add -A` the new files yourself" };
  }
  try {
    await execa("git", ["init", "-q", "-b", "main"], { cwd: dir });
    await execa("git", ["add", "-A"], { cwd: dir });
    const env = (await hasIdentity(dir)) ? {} : FALLBACK_IDENTITY;
    await execa("git", ["commit", "-q", "-m", "Initial commit from nixos-stack"], { cwd: dir, env });
    return { status: "done" };
  } catch (err) {
    // the files are written; a commit refused (e.g. signing required) is the user's to finish
    const detail = (err as { stderr?: string }).stderr?.trim().split("\n")[0] ?? (err as Error).message;
    return { status: "failed", reason: `the first commit failed (${detail}); the files are written: run \`git add -A && git commit\` yourself` };
  }
}
