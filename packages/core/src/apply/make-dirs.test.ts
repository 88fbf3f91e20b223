import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeDirs, makeDirsWithin } from "./make-dirs.js";

let parent: string;
beforeEach(async () => {
  parent = await mkdtemp(join(tmpdir(), "nixos-stack-mkdirs-"));
});
afterEach(() => rm(parent, { recursive: true, force: true }));

describe("makeDirs", () => {
  it("creates the missing ancestors, outermost first, and reports only those it made", async () => {
    expect(await makeDirs(join(parent, "a/b/c"))).toEqual([join(parent, "a"), join(parent, "a/b"), join(parent, "a/b/c")]);
    expect(await makeDirs(join(parent, "a/b/d"))).toEqual([join(parent, "a/b/d")]);
    expect(await makeDirs(parent)).toEqual([]);
  });

  it.runIf(existsSync("/proc/self"))("ends with a clear error under /proc, where recursive mkdir spins forever", async () => {
    const started = Date.now();
    await expect(makeDirs("/proc/nixos-stack-nope/repo")).rejects.toThrow("cannot create /proc/nixos-stack-nope: /proc does not accept new directories");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("names a file that stands where a directory should be", async () => {
    await writeFile(join(parent, "f"), "x\n");
    await expect(makeDirs(join(parent, "f/repo"))).rejects.toThrow(`${join(parent, "f")} is a file, not a directory`);
  });
});

describe("makeDirsWithin", () => {
  it("creates every directory between the root and each file, including those with no file of their own", async () => {
    await makeDirsWithin(parent, ["flake.nix", "hosts/a/default.nix", "hosts/b/c/x.nix", ".nixos-stack/lock.json"]);
    expect((await readdir(parent)).sort()).toEqual([".nixos-stack", "hosts"]);
    expect((await readdir(join(parent, "hosts"))).sort()).toEqual(["a", "b"]);
    expect(await readdir(join(parent, "hosts/b"))).toEqual(["c"]);
  });
});
