/** After the files are written: git init + first commit (flakes only see tracked files). */
import { execa } from "execa";

export type StepResult = { status: "done" } | { status: "skipped"; reason: string };

const FALLBACK_IDENTITY = { GIT_AUTHOR_NAME: "nixos-stack", GIT_AUTHOR_EMAIL: "nixos-stack@localhost", GIT_COMMITTER_NAME: "nixos-stack", GIT_COMMITTER_EMAIL: "nixos-stack@localhost" };

async function hasIdentity(dir: string): Promise<boolean> {
  const email = await execa("git", ["config", "user.email"], { cwd: dir, reject: false });
  return email.exitCode === 0 && email.stdout.trim() !== "";
}

export async function gitInit(dir: string): Promise<StepResult> {
  const version = await execa("git", ["--version"], { reject: false }).catch(() => undefined);
  if (!version || version.exitCode !== 0) return { status: "skipped", reason: "git is not installed; run `git init && git add -A` before using the flake" };
  if ((await execa("git", ["rev-parse", "--is-inside-work-tree"], { cwd: dir, reject: false })).exitCode === 0) {
    return { status: "skipped", reason: "already inside a git repository; `git add` the new files yourself" };
  }
  await execa("git", ["init", "-q", "-b", "main"], { cwd: dir });
  await execa("git", ["add", "-A"], { cwd: dir });
  const env = (await hasIdentity(dir)) ? {} : FALLBACK_IDENTITY;
  await execa("git", ["commit", "-q", "-m", "Initial commit from nixos-stack"], { cwd: dir, env });
  return { status: "done" };
}
