/**
 * The built bin with its code cache (code-cache.ts; Node < 22.1, where Node has none of its own):
 * a second run compiles from the blob the first wrote, and every path still works from it,
 * including the lazy ES-module files that a script compiled from cached bytecode cannot import itself.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import nodeModule from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { execa } from "execa";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { waitForSettledBundle, SETTLE_TIMEOUT_MS } from "./test-support/settled-bundle.js";

const BIN = new URL("../dist/bundle/bin.cjs", import.meta.url).pathname;
const nodeHasItsOwn = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === "function";

let scratch: string;
let cacheRoot: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), "create-nixos-stack-code-cache-e2e-"));
  cacheRoot = join(scratch, "tmp");
  mkdirSync(cacheRoot);
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));
beforeAll(async () => {
  if (existsSync(BIN)) expect(await waitForSettledBundle(BIN)).toBe(true);
}, SETTLE_TIMEOUT_MS);

const run = (args: string[], env: Record<string, string> = {}, cwd = scratch) =>
  execa("node", [BIN, ...args], { cwd, reject: false, timeout: 30_000, env: { HOME: scratch, TMPDIR: cacheRoot, NO_COLOR: "1", GIT_CONFIG_GLOBAL: "/dev/null", ...env } });

/** Every file under the cache directories: the stores' entries (code-cache.ts: one per module and purpose). */
const blobs = () => {
  const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  const dirs = existsSync(cacheRoot) ? readdirSync(cacheRoot).filter((d) => d.startsWith("create-nixos-stack-code-cache-")) : [];
  return dirs.flatMap((d) => walk(join(cacheRoot, d)));
};

describe.runIf(existsSync(BIN) && !nodeHasItsOwn)("the bin's code cache (Node < 22.1)", () => {
  it("is written by the first run, read by the next, and every path runs from it", async () => {
    const first = await run(["one", "--yes", "--no-git"]);
    expect(first.exitCode, first.stderr).toBe(0);
    // one store, one entry per module the run compiled: cli.cjs alone (it holds the default scaffold's template packs, build.mjs: IN_CLI)
    const entries = blobs();
    expect(entries).toHaveLength(1);
    expect(new Set(entries.map((f) => dirname(f))).size).toBe(1);
    const written = entries.map((f) => statSync(f).mtimeMs);

    // compiled from the blob: the scaffold, then commander (--help, --version, an error), git (execa)
    // and a subcommand, each an import() of a lazy file from a script V8 compiled from cached bytecode
    const second = await run(["two", "--yes", "--no-git"]);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stdout.replaceAll("two", "one")).toBe(first.stdout);
    // it found everything it compiled in the store, so it wrote no entry again
    expect(blobs()).toEqual(entries);
    expect(entries.map((f) => statSync(f).mtimeMs)).toEqual(written);
    const help = await run(["--help"]);
    expect(help.exitCode, help.stderr).toBe(0);
    expect(help.stdout).toContain("Usage: create-nixos-stack");
    const bad = await run(["--bogus"]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain("unknown option '--bogus'");
    const withGit = await run(["three", "--yes"]);
    expect(withGit.exitCode, withGit.stderr).toBe(0);
    expect(existsSync(join(scratch, "three/.git"))).toBe(true);
    const add = await run(["add-target", "--name", "extra", "--address", "192.0.2.9", "--yes"], {}, join(scratch, "one"));
    expect(add.exitCode, add.stderr).toBe(0);
    // a template pack of its own (the fleet's) is compiled through the cache too: an entry for it, read by the next fleet run
    const fleet = await run(["lan", "--preset", "fleet", "--yes", "--no-git"]);
    expect(fleet.exitCode, fleet.stderr).toBe(0);
    const fleetEntries = blobs();
    const nextFleet = await run(["lan2", "--preset", "fleet", "--yes", "--no-git"]);
    expect(nextFleet.exitCode, nextFleet.stderr).toBe(0);
    expect(blobs()).toEqual(fleetEntries);
    expect(fleetEntries.length).toBeGreaterThan(entries.length);
    for (const r of [second, help, bad, withGit, add, fleet, nextFleet]) expect(r.stderr).not.toContain("ExperimentalWarning");
  });

  it("after a --help first, the first scaffold writes cli.cjs's entry of its own, a subcommand another; the next scaffold writes nothing", async () => {
    const help = await run(["--help"]);
    expect(help.exitCode, help.stderr).toBe(0);
    const [helpEntry] = blobs();
    expect(blobs()).toHaveLength(1); // only cli.cjs: help loads no template pack
    const helpWritten = statSync(helpEntry!).mtimeMs;

    const first = await run(["one", "--yes", "--no-git"]);
    expect(first.exitCode, first.stderr).toBe(0);
    // the scaffold's own entry: cli.cjs, holding the functions the help run never compiled (and the default scaffold's templates)
    expect(blobs()).toHaveLength(2);
    expect(statSync(helpEntry!).mtimeMs).toBe(helpWritten);
    const scaffoldEntries = blobs().filter((f) => f !== helpEntry);
    const written = scaffoldEntries.map((f) => statSync(f).mtimeMs);

    const add = await run(["add-target", "--name", "extra", "--address", "192.0.2.9", "--yes"], {}, join(scratch, "one"));
    expect(add.exitCode, add.stderr).toBe(0);
    const second = await run(["two", "--yes", "--no-git"]);
    expect(second.exitCode, second.stderr).toBe(0);
    // the subcommand added entries of its own and left the scaffold's as they were
    expect(blobs().length).toBeGreaterThan(2);
    expect(scaffoldEntries.map((f) => statSync(f).mtimeMs)).toEqual(written);
  });

  it("a scaffold whose files have their recorded identity never loads node:crypto (the lock hashes with xxh64; only a new source is sha1-hashed)", async () => {
    // what Node loaded, written at exit by a --require hook (a Node option: V8's flags, which the bytecode depends on, stay the same)
    const hook = join(scratch, "loaded.cjs");
    writeFileSync(hook, `process.on("exit", () => require("fs").writeFileSync(process.env.LOADED_OUT, process.moduleLoadList.join("\\n")));`);
    const loaded = async (name: string) => {
      const out = join(scratch, `${name}.loaded`);
      const r = await run([name, "--yes", "--no-git"], { NODE_OPTIONS: `--require ${hook}`, LOADED_OUT: out });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(readFileSync(join(scratch, name, ".nixos-stack/lock.json"), "utf8")).toMatch(/"flake\.nix": "xxh64-[0-9a-f]{16}"/);
      return readFileSync(out, "utf8").split("\n");
    };
    // the first run has no entries: it hashes each source it compiles, with node:crypto's sha1
    expect(await loaded("one")).toContain("NativeModule crypto");
    const second = await loaded("two");
    expect(second).toContain("NativeModule fs"); // the hook did record
    expect(second).not.toContain("NativeModule crypto");
  });

  it("NODE_DISABLE_COMPILE_CACHE=1 (Node's own switch) writes no cache", async () => {
    const r = await run(["one", "--yes", "--no-git"], { NODE_DISABLE_COMPILE_CACHE: "1" });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(blobs()).toEqual([]);
  });
});
