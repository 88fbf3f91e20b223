import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { codeCacheDir, codeCacheStore, fileIdentity, installCodeCache, SETTLE_MS, type CodeCache } from "./code-cache.js";

let scratch: string;
let root: string;
let store: string;
const installed: CodeCache[] = [];
const requireHere = createRequire(import.meta.url);

beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), "code-cache-test-"));
  root = join(scratch, "bundle");
  mkdirSync(root);
  store = join(scratch, "cache");
});
afterEach(() => {
  while (installed.length) installed.pop()!.uninstall();
  rmSync(scratch, { recursive: true, force: true });
});

function install(purpose = "create", startedMs?: number): CodeCache {
  const cache = installCodeCache({ root, store, Module, purpose, startedMs });
  installed.push(cache);
  return cache;
}

/** The store's entry files. */
const entries = () => readdirSync(store).map((name) => join(store, name));

/** A fresh load of the file, as a new process would (Node's require cache forgets it first). */
function load(file: string): unknown {
  delete requireHere.cache[file];
  return requireHere(file);
}

describe("installCodeCache", () => {
  it("compiles from source the first time, from its entry the next, and runs the same code", () => {
    const file = join(root, "answer.cjs");
    writeFileSync(file, "function answer() { return 6 * 7; }\nmodule.exports = { answer: answer(), file: __filename, dir: __dirname };\n");
    const first = install();
    expect(load(file)).toEqual({ answer: 42, file, dir: root });
    expect(first.misses).toEqual([file]);
    expect(first.save()).toBe(true);
    expect(statSync(store).mode & 0o777).toBe(0o700);
    expect(entries().map((f) => statSync(f).mode & 0o777)).toEqual([0o600]);
    first.uninstall();

    const second = install();
    expect(load(file)).toEqual({ answer: 42, file, dir: root });
    expect(second.hits).toEqual([file]);
    expect(second.misses).toEqual([]);
    expect(second.save()).toBe(false); // nothing new: no entry is rewritten
  });

  it("starts each entry's bytecode 8-byte aligned, so V8 deserialises it where it lies instead of copying it first", () => {
    for (const [name, body] of [["a.cjs", "module.exports = 1;\n"], ["much-longer-name-b.cjs", "module.exports = [1, 2, 3].map((x) => x * 2);\n"]]) {
      const file = join(root, name!);
      writeFileSync(file, body!);
      const cache = install();
      load(file);
      cache.save();
      cache.uninstall();
    }
    for (const file of entries()) {
      const buf = readFileSync(file);
      expect((4 + buf.readUInt32LE(0)) % 8).toBe(0);
    }
  });

  it("never runs the bytecode of another source of the same length (V8 itself compares only the length)", () => {
    const file = join(root, "greeting.cjs");
    writeFileSync(file, 'module.exports = "hello";\n');
    const first = install();
    load(file);
    first.save();
    first.uninstall();

    writeFileSync(file, 'module.exports = "howdy";\n');
    const second = install();
    expect(load(file)).toBe("howdy");
    expect(second.misses).toEqual([file]);
  });

  it("leaves files outside its root to Node", () => {
    const outside = join(scratch, "outside.cjs");
    writeFileSync(outside, "module.exports = 1;\n");
    const cache = install();
    expect(load(outside)).toBe(1);
    expect([...cache.hits, ...cache.misses]).toEqual([]);
  });

  it("treats a damaged entry as none: compiles from source, then replaces it", () => {
    const file = join(root, "a.cjs");
    writeFileSync(file, "module.exports = [1, 2, 3].map((n) => n * 2);\n");
    const first = install();
    load(file);
    first.save();
    first.uninstall();
    for (const f of entries()) truncateSync(f, 40);

    const second = install();
    expect(load(file)).toEqual([2, 4, 6]);
    expect(second.misses).toEqual([file]);
    expect(second.save()).toBe(true);
    second.uninstall();
    const third = install();
    load(file);
    expect(third.hits).toEqual([file]);
  });

  it("keeps one entry per file: a damaged one costs its own file's compile and no other's", () => {
    const [a, b] = [join(root, "a.cjs"), join(root, "b.cjs")];
    writeFileSync(a, "module.exports = 'a';\n");
    writeFileSync(b, "module.exports = 'b';\n");
    const first = install();
    load(a);
    load(b);
    first.save();
    first.uninstall();
    expect(entries()).toHaveLength(2);
    // the entry whose header names b.cjs, cut short
    const ofB = entries().filter((f) => readFileSync(f).includes(JSON.stringify(b)));
    expect(ofB).toHaveLength(1);
    truncateSync(ofB[0]!, 10);
    const second = install();
    load(a);
    load(b);
    expect(second.hits).toEqual([a]);
    expect(second.misses).toEqual([b]);
  });

  it("keeps the entries of files this run did not load", () => {
    const [a, b] = [join(root, "a.cjs"), join(root, "b.cjs")];
    writeFileSync(a, "module.exports = 'a';\n");
    writeFileSync(b, "module.exports = 'b';\n");
    const first = install();
    load(a);
    first.save();
    first.uninstall();
    const second = install();
    load(b);
    second.save();
    second.uninstall();
    const third = install();
    load(a);
    load(b);
    expect(third.hits).toEqual([a, b]);
  });
});

describe("installCodeCache, purposes", () => {
  /** A module of two functions, each with a body of its own; a run compiles only the one it calls. */
  function twoFunctions(): string {
    const file = join(root, "two.cjs");
    const body = (name: string) => Array.from({ length: 40 }, (_, i) => `  out.push("${name}-${i}".length * ${i});`).join("\n");
    writeFileSync(file, `function help() {\n  const out = [];\n${body("help")}\n  return out.length;\n}\nfunction create() {\n  const out = [];\n${body("create")}\n  return out.length;\n}\nmodule.exports = { help, create };\n`);
    return file;
  }

  it("keeps an entry per purpose: a help run's entry does not serve a scaffold, which writes its own with its functions", () => {
    const file = twoFunctions();
    const help = install("help");
    (load(file) as { help: () => number }).help();
    expect(help.save()).toBe(true);
    help.uninstall();

    const create = install("create");
    expect((load(file) as { create: () => number }).create()).toBe(40);
    expect(create.misses).toEqual([file]); // not the help entry, which lacks create()'s bytecode
    expect(create.save()).toBe(true);
    create.uninstall();
    expect(entries()).toHaveLength(2);

    for (const purpose of ["create", "help"]) {
      const again = install(purpose);
      (load(file) as { create: () => number }).create();
      expect(again.hits).toEqual([file]);
      expect(again.save()).toBe(false);
      again.uninstall();
    }
  });

  it("a subcommand's functions never grow the scaffold's entry", () => {
    const file = twoFunctions();
    const create = install("create");
    (load(file) as { create: () => number }).create();
    create.save();
    create.uninstall();
    const createEntry = () => entries().find((f) => readFileSync(f).includes('"purpose":"create"'))!;
    const before = readFileSync(createEntry());

    const add = install("add-target");
    const loaded = load(file) as { create: () => number; help: () => number };
    loaded.create();
    loaded.help();
    expect(add.misses).toEqual([file]);
    expect(add.save()).toBe(true);
    add.uninstall();
    expect(readFileSync(createEntry()).equals(before)).toBe(true);
  });
});

describe("installCodeCache, file identity", () => {
  /** a run that starts when the files written now have settled */
  const later = () => Date.now() + 2 * SETTLE_MS;
  /** the header of the store's only entry */
  const header = () => {
    const [file] = entries();
    const buf = readFileSync(file!);
    return JSON.parse(buf.subarray(4, 4 + buf.readUInt32LE(0)).toString("utf8")) as { identity?: string; hash: string };
  };

  it("an entry records its settled file's identity, and a later run with that identity hashes nothing", () => {
    const file = join(root, "answer.cjs");
    writeFileSync(file, "module.exports = 6 * 7;\n");
    const first = install("create", later());
    expect(load(file)).toBe(42);
    expect(first.hashed).toEqual([file]);
    expect(first.save()).toBe(true);
    first.uninstall();
    expect(header().identity).toBe(fileIdentity(file, later())!.key);

    const second = install("create", later());
    expect(load(file)).toBe(42);
    expect(second.hits).toEqual([file]);
    expect(second.hashed).toEqual([]);
    expect(second.save()).toBe(false);
  });

  it("a file rewritten in place, same size, its modification time set back, is hashed again and never runs the old bytecode", async () => {
    const file = join(root, "greeting.cjs");
    writeFileSync(file, 'module.exports = "hello";\n');
    const stamp = 1_700_000_000; // a whole second: utimes sets it back exactly, to the nanosecond
    utimesSync(file, stamp, stamp);
    const first = install("create", later());
    load(file);
    first.save();
    first.uninstall();
    // past the kernel's tick for change times (a jiffy, at most 10 ms on Linux), as any real rewrite is
    await new Promise((resolve) => setTimeout(resolve, 30));
    writeFileSync(file, 'module.exports = "howdy";\n');
    utimesSync(file, stamp, stamp); // what `touch -r` or a tar extraction can do; the change time moves anyway
    expect(statSync(file, { bigint: true }).mtimeNs).toBe(BigInt(stamp) * 1_000_000_000n);

    const second = install("create", later());
    expect(load(file)).toBe("howdy");
    expect(second.hashed).toEqual([file]);
    expect(second.misses).toEqual([file]);
  });

  it("an entry written while its file is new records no identity; a run after it settles hashes once and records it", () => {
    const file = join(root, "fresh.cjs");
    writeFileSync(file, "module.exports = 1;\n");
    const first = install("create", Date.now()); // the file changed just now: not settled
    load(file);
    first.save();
    first.uninstall();
    expect(header().identity).toBeUndefined();

    const settled = install("create", later());
    load(file);
    expect(settled.hits).toEqual([file]);
    expect(settled.hashed).toEqual([file]);
    expect(settled.save()).toBe(true); // the same entry, now with the identity
    settled.uninstall();
    expect(header().identity).toBe(fileIdentity(file, later())!.key);

    const next = install("create", later());
    load(file);
    expect(next.hashed).toEqual([]);
    expect(next.save()).toBe(false);
  });
});

describe("installCodeCache, pruning", () => {
  it("drops the entries of files that no longer exist when it saves, and keeps the rest", () => {
    const [a, b, c] = [join(root, "a.cjs"), join(root, "b.cjs"), join(root, "c.cjs")];
    for (const f of [a, b, c]) writeFileSync(f, `module.exports = ${JSON.stringify(f)};\n`);
    const first = install();
    load(a);
    load(b);
    first.save();
    first.uninstall();
    rmSync(b); // a rebuilt bundle without b.cjs
    const second = install();
    load(c);
    expect(second.save()).toBe(true);
    second.uninstall();
    const third = install();
    load(a);
    load(c);
    expect(third.hits).toEqual([a, c]);
    expect(third.save()).toBe(false);
    third.uninstall();
    // b's entry is gone: b.cjs back with the very same source compiles from source (with the entry kept, it would be a hit)
    writeFileSync(b, `module.exports = ${JSON.stringify(b)};\n`);
    const fourth = install();
    load(b);
    expect(fourth.misses).toEqual([b]);
  });
});

describe("codeCacheDir", () => {
  const uid = process.getuid?.();

  it.runIf(uid !== undefined)("makes a directory only its user may enter", () => {
    const dir = codeCacheDir(scratch, uid);
    expect(dir).toBe(join(scratch, `create-nixos-stack-code-cache-${uid}`));
    expect(statSync(dir!).mode & 0o777).toBe(0o700);
    expect(codeCacheDir(scratch, uid)).toBe(dir); // and uses it again
  });

  it.runIf(uid !== undefined)("refuses a directory of another user, one others may write to, or a symbolic link", () => {
    // another user's name, but this user's directory: someone planted it
    mkdirSync(join(scratch, `create-nixos-stack-code-cache-${uid! + 1}`), { mode: 0o700 });
    expect(codeCacheDir(scratch, uid! + 1)).toBeUndefined();
    const dir = join(scratch, `create-nixos-stack-code-cache-${uid}`);
    mkdirSync(dir, { mode: 0o700 });
    chmodSync(dir, 0o777);
    expect(codeCacheDir(scratch, uid)).toBeUndefined();
    rmSync(dir, { recursive: true });
    const elsewhere = join(scratch, "elsewhere");
    mkdirSync(elsewhere, { mode: 0o700 });
    symlinkSync(elsewhere, dir);
    expect(codeCacheDir(scratch, uid)).toBeUndefined();
    rmSync(dir);
    writeFileSync(dir, "not a directory");
    expect(codeCacheDir(scratch, uid)).toBeUndefined();
  });

  it.runIf(uid !== undefined)("gives no cache when the directory cannot be made (its parent is missing)", () => {
    expect(codeCacheDir(join(scratch, "missing"), uid)).toBeUndefined();
  });

  it("names one store per Node version and bundle directory", () => {
    expect(codeCacheStore("/c", "/x/bundle")).toBe(codeCacheStore("/c", "/x/bundle"));
    expect(codeCacheStore("/c", "/x/bundle")).not.toBe(codeCacheStore("/c", "/y/bundle"));
  });
});
