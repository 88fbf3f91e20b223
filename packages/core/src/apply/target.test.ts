import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { inspectTarget, isFreshState } from "./target.js";

let parent: string;
beforeEach(async () => {
  parent = await mkdtemp(join(tmpdir(), "nixos-stack-target-"));
});
afterEach(() => rm(parent, { recursive: true, force: true }));

const GIT_ENV = { GIT_CONFIG_GLOBAL: "/dev/null", GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@localhost", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@localhost" };
const git = (cwd: string, args: string[]) => execa("git", args, { cwd, env: GIT_ENV });

describe("inspectTarget", () => {
  it("tells a missing, an empty and a non-empty directory apart", async () => {
    expect(await inspectTarget(join(parent, "nope"))).toBe("missing");
    expect(await inspectTarget(parent)).toBe("empty");
    await writeFile(join(parent, "notes.txt"), "mine\n");
    expect(await inspectTarget(parent)).toBe("not-empty");
  });

  it("a regular file is a file, not a non-empty directory", async () => {
    await writeFile(join(parent, "f"), "x\n");
    expect(await inspectTarget(join(parent, "f"))).toBe("file");
    expect(isFreshState("file")).toBe(false);
  });

  it("a directory holding only a `git init` repository (no commit) is fresh", async () => {
    await git(parent, ["init", "-q"]);
    expect(await inspectTarget(parent)).toBe("empty-git");
    expect(isFreshState("empty-git")).toBe(true);
  });

  it("a repository with a commit is someone's history, loose ref or packed", async () => {
    await git(parent, ["init", "-q"]);
    await git(parent, ["commit", "-q", "--allow-empty", "-m", "x"]);
    expect(await inspectTarget(parent)).toBe("git-with-history");
    await git(parent, ["pack-refs", "--all"]); // the branch now lives only in .git/packed-refs
    expect(await inspectTarget(parent)).toBe("git-with-history");
    expect(isFreshState("git-with-history")).toBe(false);
  });

  it("a `.git` file (a worktree or submodule link) is not taken for an empty repository", async () => {
    await writeFile(join(parent, ".git"), "gitdir: /somewhere/else\n");
    expect(await inspectTarget(parent)).toBe("git-with-history");
  });

  it("a directory with .git and anything else is not empty", async () => {
    await git(parent, ["init", "-q"]);
    await mkdir(join(parent, "src"));
    expect(await inspectTarget(parent)).toBe("not-empty");
  });
});
