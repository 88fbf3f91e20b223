import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm, stat, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { FileTree } from "../render/file-tree.js";
import { apply } from "./apply.js";
import { LOCK_PATH, readLock } from "./lock.js";
import { plan } from "./plan.js";

const tree = (files: Record<string, [string, "managed" | "scaffold"]>): FileTree =>
  new Map(Object.entries(files).map(([p, [content, ownership]]) => [p, { content, ownership, mode: p.endsWith(".sh") ? 0o755 : 0o644 }]));

const v1 = () => tree({ "flake.nix": ["{ v = 1; }\n", "managed"], "hosts/a/configuration.nix": ["{ }\n", "scaffold"], "update.sh": ["#!/bin/sh\n", "managed"] });
const v2 = () => tree({ "flake.nix": ["{ v = 2; }\n", "managed"], "hosts/a/configuration.nix": ["{ new = true; }\n", "scaffold"], "update.sh": ["#!/bin/sh\necho 2\n", "managed"] });

let parent: string;
let dir: string;
beforeEach(async () => {
  parent = await mkdtemp(join(tmpdir(), "nixos-stack-apply-"));
  dir = join(parent, "repo");
});
afterEach(() => rm(parent, { recursive: true, force: true }));

const actions = async (t: FileTree, force = false) => Object.fromEntries((await plan(t, dir, { force })).entries.map((e) => [e.path, e.action]));

describe("plan and apply", () => {
  it("creates a fresh tree with modes and a lock of the managed files", async () => {
    const p = await plan(v1(), dir);
    expect(p.fresh).toBe(true);
    expect(p.entries.every((e) => e.action === "create")).toBe(true);
    await apply(p, v1());
    expect(await readFile(join(dir, "flake.nix"), "utf8")).toBe("{ v = 1; }\n");
    expect((await stat(join(dir, "update.sh"))).mode & 0o777).toBe(0o755);
    expect(Object.keys((await readLock(dir)).managed).sort()).toEqual(["flake.nix", "update.sh"]);
    expect(await readdir(parent)).toEqual(["repo"]); // no staging directory left behind
  });

  it.each([["077", 0o077], ["022", 0o022], ["002", 0o002]])("gives every file exactly its mode whatever the umask (%s)", async (_, umask) => {
    const before = process.umask(umask);
    try {
      await apply(await plan(v1(), dir), v1());
    } finally {
      process.umask(before);
    }
    expect((await stat(join(dir, "flake.nix"))).mode & 0o7777).toBe(0o644);
    expect((await stat(join(dir, "hosts/a/configuration.nix"))).mode & 0o7777).toBe(0o644);
    expect((await stat(join(dir, "update.sh"))).mode & 0o7777).toBe(0o755);
    expect((await stat(join(dir, LOCK_PATH))).mode & 0o7777).toBe(0o644);
  });

  it("re-applying the same tree changes nothing", async () => {
    await apply(await plan(v1(), dir), v1());
    expect(await actions(v1())).toEqual({ "flake.nix": "unchanged", "hosts/a/configuration.nix": "unchanged", "update.sh": "unchanged" });
  });

  it("updates untouched managed files and keeps the user's scaffold files", async () => {
    await apply(await plan(v1(), dir), v1());
    await writeFile(join(dir, "hosts/a/configuration.nix"), "{ mine = 1; }\n");
    const p = await plan(v2(), dir);
    expect(Object.fromEntries(p.entries.map((e) => [e.path, e.action]))).toEqual({ "flake.nix": "update", "hosts/a/configuration.nix": "keep-user-edit", "update.sh": "update" });
    await apply(p, v2());
    expect(await readFile(join(dir, "flake.nix"), "utf8")).toBe("{ v = 2; }\n");
    expect(await readFile(join(dir, "hosts/a/configuration.nix"), "utf8")).toBe("{ mine = 1; }\n");
  });

  it("a hand-edited managed file is a conflict: apply writes nothing at all, not even the other files or the lock", async () => {
    await apply(await plan(v1(), dir), v1());
    await writeFile(join(dir, "flake.nix"), "{ handEdited = true; }\n");
    const lockBefore = await readFile(join(dir, LOCK_PATH), "utf8");
    const p = await plan(v2(), dir);
    expect(p.entries.find((e) => e.path === "flake.nix")?.action).toBe("conflict");
    await expect(apply(p, v2())).rejects.toThrow("generated files edited by hand: flake.nix; nothing was written");
    expect(await readFile(join(dir, "flake.nix"), "utf8")).toBe("{ handEdited = true; }\n");
    // the untouched managed file would have been updated by the old apply: it must stay as it was
    expect(await readFile(join(dir, "update.sh"), "utf8")).toBe("#!/bin/sh\n");
    expect(await readFile(join(dir, LOCK_PATH), "utf8")).toBe(lockBefore);
    expect(await readdir(join(dir, ".nixos-stack"))).toEqual(["lock.json"]);
    // still a conflict on the next run: the edit is not forgotten
    expect((await actions(v2()))["flake.nix"]).toBe("conflict");
  });

  it("a managed file that exists without a lock entry counts as the user's (conflict)", async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "flake.nix"), "{ theirs = 1; }\n");
    expect((await actions(v1()))["flake.nix"]).toBe("conflict");
  });

  it("--force overwrites edits, scaffold and managed alike", async () => {
    await apply(await plan(v1(), dir), v1());
    await writeFile(join(dir, "flake.nix"), "{ handEdited = true; }\n");
    await writeFile(join(dir, "hosts/a/configuration.nix"), "{ mine = 1; }\n");
    const p = await plan(v2(), dir, { force: true });
    await apply(p, v2());
    expect(await readFile(join(dir, "flake.nix"), "utf8")).toBe("{ v = 2; }\n");
    expect(await readFile(join(dir, "hosts/a/configuration.nix"), "utf8")).toBe("{ new = true; }\n");
  });

  it("an apply interrupted while staging leaves no partial tree (fresh target)", async () => {
    let staged = 0;
    const interrupt = async () => {
      if (++staged === 2) throw new Error("interrupted");
    };
    await expect(apply(await plan(v1(), dir), v1(), { beforeStage: interrupt })).rejects.toThrow("interrupted");
    expect(await readdir(parent)).toEqual([]);
  });

  it("an apply interrupted while staging leaves an existing repo exactly as it was", async () => {
    await apply(await plan(v1(), dir), v1());
    const before = await readFile(join(dir, LOCK_PATH), "utf8");
    let staged = 0;
    await expect(
      apply(await plan(v2(), dir), v2(), {
        beforeStage: () => {
          if (++staged === 2) throw new Error("interrupted");
        },
      }),
    ).rejects.toThrow("interrupted");
    expect(await readFile(join(dir, "flake.nix"), "utf8")).toBe("{ v = 1; }\n");
    expect(await readFile(join(dir, "update.sh"), "utf8")).toBe("#!/bin/sh\n");
    expect(await readFile(join(dir, LOCK_PATH), "utf8")).toBe(before);
    expect(await readdir(join(dir, ".nixos-stack"))).toEqual(["lock.json"]);
  });
});

describe("where apply stages", () => {
  it("into an existing empty directory: the files land in that very directory, no staging left", async () => {
    await mkdir(dir, { mode: 0o750 });
    const before = await stat(dir);
    await apply(await plan(v1(), dir), v1());
    const after = await stat(dir);
    // the user's directory is kept (same inode, same mode), not replaced by a renamed staging directory
    expect([after.ino, after.mode & 0o777]).toEqual([before.ino, 0o750]);
    expect((await readdir(dir)).sort()).toEqual([".nixos-stack", "flake.nix", "hosts", "update.sh"]);
    expect(await readdir(parent)).toEqual(["repo"]);
  });

  it("into a directory holding only an empty git repository: that .git is kept", async () => {
    await mkdir(join(dir, ".git"), { recursive: true });
    await writeFile(join(dir, ".git/HEAD"), "ref: refs/heads/main\n");
    await writeFile(join(dir, ".git/config"), "[user]\n\tname = me\n");
    const p = await plan(v1(), dir);
    expect(p.fresh).toBe(true);
    await apply(p, v1());
    expect(await readFile(join(dir, ".git/config"), "utf8")).toBe("[user]\n\tname = me\n");
    expect((await readdir(dir)).sort()).toEqual([".git", ".nixos-stack", "flake.nix", "hosts", "update.sh"]);
  });

  it("creates a target's missing parents, and removes them again when staging fails", async () => {
    const deep = join(parent, "a/b/repo");
    await expect(apply(await plan(v1(), deep), v1(), { beforeStage: () => Promise.reject(new Error("disk full")) })).rejects.toThrow("disk full");
    expect(await readdir(parent)).toEqual([]);
    await apply(await plan(v1(), deep), v1());
    expect(await readFile(join(deep, "flake.nix"), "utf8")).toBe("{ v = 1; }\n");
    expect(await readdir(join(parent, "a/b"))).toEqual(["repo"]);
  });

  it("refuses a staging directory that is already there, and leaves it and the target alone", async () => {
    // Math.random names the staging directory (apply.ts: stagingId); 0.5 gives the suffix 80000000
    const random = vi.spyOn(Math, "random").mockReturnValue(0.5);
    try {
      const squatted = join(parent, ".repo.nixos-stack-staging-80000000");
      await mkdir(squatted);
      await writeFile(join(squatted, "theirs"), "x\n");
      await expect(apply(await plan(v1(), dir), v1())).rejects.toThrow(`${squatted} already exists`);
      expect(await readdir(squatted)).toEqual(["theirs"]);
      expect((await readdir(parent)).sort()).toEqual([".repo.nixos-stack-staging-80000000"]);
    } finally {
      random.mockRestore();
    }
    await apply(await plan(v1(), dir), v1()); // another name: the apply goes through
    expect(await readFile(join(dir, "flake.nix"), "utf8")).toBe("{ v = 1; }\n");
  });

  it.runIf(existsSync("/proc/self"))("under /proc: a clear error in bounded time (recursive mkdir would spin forever)", async () => {
    const started = Date.now();
    await expect(apply(await plan(v1(), "/proc/nixos-stack-nope"), v1())).rejects.toThrow("cannot create /proc/nixos-stack-nope: /proc does not accept new directories");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("a target that is a file is named as a file (even with --force), not as a non-empty directory", async () => {
    await writeFile(join(parent, "f"), "x\n");
    await expect(plan(v1(), join(parent, "f"), { force: true })).rejects.toThrow(`${join(parent, "f")} is a file`);
  });
});

describe("sync semantics", () => {
  const withHost = () => tree({ "flake.nix": ["{ v = 1; }\n", "managed"], "hosts/b/default.nix": ["{ b = 1; }\n", "managed"], "hosts/b/configuration.nix": ["{ }\n", "scaffold"] });
  const withoutHost = () => tree({ "flake.nix": ["{ v = 2; }\n", "managed"] });

  it("deletes the generated files of a removed host, keeps the user's files of it", async () => {
    await apply(await plan(withHost(), dir), withHost());
    const p = await plan(withoutHost(), dir);
    expect(Object.fromEntries(p.entries.map((e) => [e.path, e.action]))).toEqual({ "flake.nix": "update", "hosts/b/default.nix": "delete" });
    const result = await apply(p, withoutHost());
    expect(result.deleted).toEqual(["hosts/b/default.nix"]);
    expect(await readdir(join(dir, "hosts/b"))).toEqual(["configuration.nix"]);
    expect(Object.keys((await readLock(dir)).managed)).toEqual(["flake.nix"]);
  });

  it("keeps a removed host's generated file that was edited by hand, even with --force, and remembers it", async () => {
    await apply(await plan(withHost(), dir), withHost());
    await writeFile(join(dir, "hosts/b/default.nix"), "{ mine = 1; }\n");
    const p = await plan(withoutHost(), dir, { force: "managed" });
    expect(p.entries.find((e) => e.path === "hosts/b/default.nix")?.action).toBe("keep-orphan");
    await apply(p, withoutHost());
    expect(await readFile(join(dir, "hosts/b/default.nix"), "utf8")).toBe("{ mine = 1; }\n");
    expect(Object.keys((await readLock(dir)).managed).sort()).toEqual(["flake.nix", "hosts/b/default.nix"]);
  });

  it("--force limited to managed files replaces hand-edited generated files, never the user's own", async () => {
    await apply(await plan(v1(), dir), v1());
    await writeFile(join(dir, "flake.nix"), "{ handEdited = true; }\n");
    await writeFile(join(dir, "hosts/a/configuration.nix"), "{ mine = 1; }\n");
    const p = await plan(v2(), dir, { force: "managed" });
    expect(Object.fromEntries(p.entries.map((e) => [e.path, e.action]))).toEqual({ "flake.nix": "overwrite", "hosts/a/configuration.nix": "keep-user-edit", "update.sh": "update" });
  });

  it("a lock from before xxh64 (sha256 entries) still tells untouched files from edited ones, and its matching entries stay as written", async () => {
    await apply(await plan(v1(), dir), v1());
    const sha256 = (text: string) => `sha256-${createHash("sha256").update(text).digest("base64")}`;
    const old = { version: 1, managed: { "flake.nix": sha256("{ v = 1; }\n"), "update.sh": sha256("#!/bin/sh\n") } };
    await writeFile(join(dir, LOCK_PATH), JSON.stringify(old, null, 2));
    await writeFile(join(dir, "update.sh"), "#!/bin/sh\n# mine\n");
    expect(await actions(v2())).toEqual({ "flake.nix": "update", "hosts/a/configuration.nix": "keep-user-edit", "update.sh": "conflict" });
    // the same tree again: nothing to write, and the old entries are not rewritten for the algorithm's sake
    await writeFile(join(dir, "update.sh"), "#!/bin/sh\n");
    await apply(await plan(v1(), dir), v1());
    expect((await readLock(dir)).managed).toEqual(old.managed);
    // a file written anew gets an entry of today's algorithm
    await apply(await plan(v2(), dir), v2());
    expect((await readLock(dir)).managed["flake.nix"]).toMatch(/^xxh64-[0-9a-f]{16}$/);
  });

  it("a damaged lock file is named, with the way out, instead of a bare JSON error", async () => {
    await apply(await plan(v1(), dir), v1());
    await writeFile(join(dir, LOCK_PATH), "{ not json");
    await expect(plan(v2(), dir)).rejects.toThrow(/\.nixos-stack\/lock\.json is damaged .*git checkout -- \.nixos-stack\/lock\.json/);
  });
});

describe("replacing the manifest (add-target and the like)", () => {
  const withManifest = (manifest: string) => tree({ "nixos-stack.json": [manifest, "scaffold"], "hosts/a/configuration.nix": ["{ }\n", "scaffold"], "flake.nix": ["{ v = 1; }\n", "managed"] });

  it("rewrites only the scaffold paths it is given, in the same apply as the managed files", async () => {
    await apply(await plan(withManifest('{"hosts": ["a"]}\n'), dir), withManifest('{"hosts": ["a"]}\n'));
    await writeFile(join(dir, "hosts/a/configuration.nix"), "{ mine = 1; }\n");
    const edited = withManifest('{"hosts": ["a", "b"]}\n');
    const p = await plan(edited, dir, { replace: ["nixos-stack.json"] });
    expect(Object.fromEntries(p.entries.map((e) => [e.path, e.action]))).toEqual({ "nixos-stack.json": "update", "hosts/a/configuration.nix": "keep-user-edit", "flake.nix": "unchanged" });
    await apply(p, edited);
    expect(await readFile(join(dir, "nixos-stack.json"), "utf8")).toBe('{"hosts": ["a", "b"]}\n');
    expect(await readFile(join(dir, "hosts/a/configuration.nix"), "utf8")).toBe("{ mine = 1; }\n");
    // the manifest stays the user's: never in the lock of managed hashes
    expect(Object.keys((await readLock(dir)).managed)).toEqual(["flake.nix"]);
  });

  it("without it (a sync, even --force limited to managed files) the user's manifest is never rewritten", async () => {
    await apply(await plan(withManifest('{"hosts": ["a"]}\n'), dir), withManifest('{"hosts": ["a"]}\n'));
    await writeFile(join(dir, "nixos-stack.json"), '{ "hosts": [ "a" ], "mine": true }');
    for (const force of ["none", "managed"] as const) {
      const p = await plan(withManifest('{"hosts": ["a"]}\n'), dir, { force });
      expect(p.entries.find((e) => e.path === "nixos-stack.json")?.action).toBe("keep-user-edit");
      await apply(p, withManifest('{"hosts": ["a"]}\n'));
      expect(await readFile(join(dir, "nixos-stack.json"), "utf8")).toBe('{ "hosts": [ "a" ], "mine": true }');
    }
  });
});
