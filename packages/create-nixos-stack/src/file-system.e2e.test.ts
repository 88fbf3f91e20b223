/** The built bin against file systems that refuse: a clear error in bounded time, or a way around. */
import { existsSync } from "node:fs";
import { chmod, chown, mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const BIN = new URL("../dist/bundle/bin.cjs", import.meta.url).pathname;

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), "create-nixos-stack-fs-"));
});
afterEach(async () => {
  await chmod(cwd, 0o700).catch(() => undefined);
  await rm(cwd, { recursive: true, force: true });
});

describe.runIf(existsSync(BIN))("file-system refusals", () => {
  it.runIf(existsSync("/proc/self"))("a target under /proc: exit 1 with a clear error in bounded time (recursive mkdir there spins forever)", async () => {
    const r = await execa("node", [BIN, "/proc/nixos-stack-nope", "--yes", "--no-git"], { cwd, reject: false, timeout: 20_000, env: { HOME: cwd, NO_COLOR: "1" } });
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("cannot create /proc/nixos-stack-nope: /proc does not accept new directories");
  });

  it("an existing empty directory the user owns, under a parent they cannot write: created inside it", async () => {
    const locked = join(cwd, "locked");
    const target = join(locked, "mine");
    await mkdir(target, { recursive: true });
    const args = [BIN, target, "--yes", "--no-git"];
    let command: [string, string[]];
    if (process.getuid?.() === 0) {
      // root writes anywhere: run as nobody, who owns the target and cannot write its parent
      const [uid, gid] = await Promise.all([execa("id", ["-u", "nobody"]), execa("id", ["-g", "nobody"])]);
      await chown(target, Number(uid.stdout), Number(gid.stdout));
      await chmod(cwd, 0o755);
      await chmod(locked, 0o755);
      command = ["setpriv", ["--reuid=nobody", `--regid=${gid.stdout}`, "--clear-groups", "node", ...args]];
    } else {
      await chmod(locked, 0o555);
      command = ["node", args];
    }
    try {
      const r = await execa(...command, { cwd, reject: false, timeout: 30_000, env: { HOME: "/nonexistent", NO_COLOR: "1", PATH: process.env.PATH } });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(await readdir(target)).toEqual(expect.arrayContaining(["flake.nix", "nixos-stack.json", ".nixos-stack"]));
      expect(await readdir(locked)).toEqual(["mine"]); // nothing staged beside it
    } finally {
      await chmod(locked, 0o755);
    }
  });
});
