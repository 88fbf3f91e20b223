/**
 * Ctrl-C during the first commit, as a terminal sends it: SIGINT to the bin's whole process group
 * (the bin and every child it did not put in a session of its own). Staging and renaming are
 * covered in core (apply/interrupt.test.ts); this is the window after the files are in place.
 */
import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const BIN = new URL("../dist/bundle/bin.cjs", import.meta.url).pathname;

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), "create-nixos-stack-interrupt-"));
});
afterEach(() => rm(cwd, { recursive: true, force: true }));

async function waitFor(path: string, ms: number): Promise<void> {
  for (const end = Date.now() + ms; !existsSync(path); ) {
    if (Date.now() > end) throw new Error(`${path} never appeared`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.runIf(existsSync(BIN))("Ctrl-C during git init / the first commit", () => {
  it.each(["init", "commit"])("during `git %s`: the commit completes, the exit (130) says the repo is complete and committed, never 'nothing was written'", async (step) => {
    const realGit = (await execa("sh", ["-c", "command -v git"])).stdout.trim();
    // a git that announces `git <step>` and takes a moment before doing it: the window to hit
    const marker = join(cwd, "in-step");
    await writeFile(join(cwd, "git"), `#!/bin/sh\nif [ "$1" = ${step} ]; then : > "${marker}"; sleep 1; fi\nexec ${realGit} "$@"\n`);
    await chmod(join(cwd, "git"), 0o755);
    const env = { PATH: `${cwd}:${process.env.PATH}`, HOME: cwd, NO_COLOR: "1", GIT_CONFIG_GLOBAL: "/dev/null" };
    // detached: the bin leads a process group of its own, which the test signals like a terminal would
    const bin = execa("node", [BIN, "repo", "--yes"], { cwd, env, detached: true, reject: false, timeout: 30_000 });
    await waitFor(marker, 20_000);
    process.kill(-bin.pid!, "SIGINT");
    const r = await bin;

    const dir = join(cwd, "repo");
    expect(r.exitCode, r.stderr).toBe(130);
    expect(r.stderr).toContain(`Interrupted after the first commit; the repo in ${dir} is complete and committed.`);
    expect(r.stderr).not.toContain("nothing was written");
    const log = await execa(realGit, ["log", "--format=%s"], { cwd: dir, env: { GIT_CONFIG_GLOBAL: "/dev/null" } });
    expect(log.stdout).toBe("Initial commit from nixos-stack");
    expect((await execa(realGit, ["status", "--porcelain"], { cwd: dir })).stdout).toBe("");
  });
});
