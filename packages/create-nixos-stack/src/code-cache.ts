/**
 * V8's code cache for the bundle on Node < 22.1, which has no `module.enableCompileCache()`: the
 * same idea, by hand. CommonJS files under `root` are compiled with `vm.Script` and the bytecode
 * V8 produced for them last time (`cachedData`), so a run skips parsing and compiling what an
 * earlier run compiled; at exit the bytecode of this run (after it ran, so it holds every function
 * the run compiled lazily) is written back when anything was missing. Measured on Node 20 (README,
 * Speed): the `--yes` scaffold's own work above Node's start halves.
 *
 * One blob file holds every file's bytecode, each entry keyed by the file's path and the sha1 of
 * its source: V8 checks only its own version, its flags and the source's length, so without the
 * hash a new release of the same length would run the old bytecode. The blob lives in a directory
 * of the user's own (`codeCacheDir`); anything unexpected there (another owner, other users'
 * write access, a symbolic link, a damaged blob) means compiling as usual, never an error.
 */
import { createHash } from "node:crypto";
import { closeSync, existsSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import type NodeModule from "node:module";
import { dirname, join, sep } from "node:path";
import vm from "node:vm";

/** The blob's layout version: a change of layout never reads an old blob. */
const FORMAT = 1;

interface Entry {
  hash: string;
  data: Buffer;
}

export interface CodeCache {
  /** files compiled from cached bytecode this run */
  readonly hits: string[];
  /** files compiled from source (no entry, another source, or V8 refused the bytecode) */
  readonly misses: string[];
  /** Writes the blob when this run compiled anything from source; true when it wrote. Never throws. */
  save(): boolean;
  /** Puts Node's own compiler back (tests). */
  uninstall(): void;
}

/**
 * `<tmpdir>/create-nixos-stack-code-cache-<uid>`, made 0700 if missing; undefined (no cache) when
 * it is not a real directory owned by this user that only this user can write to.
 */
export function codeCacheDir(tmp: string, uid = process.getuid?.()): string | undefined {
  if (uid === undefined) return undefined; // Windows: no owner check, so no cache
  const dir = join(tmp, `create-nixos-stack-code-cache-${uid}`);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") return undefined;
  }
  try {
    const info = lstatSync(dir);
    if (!info.isDirectory() || info.uid !== uid || (info.mode & 0o022) !== 0) return undefined;
  } catch {
    return undefined;
  }
  return dir;
}

/** The blob for this Node (V8 refuses another version's bytecode anyway) and this bundle directory. */
export function codeCacheFile(dir: string, root: string): string {
  const key = createHash("sha1").update(`${process.version} ${process.arch} ${root}`).digest("hex").slice(0, 16);
  return join(dir, `${key}.bin`);
}

/** [u32 header length][header JSON: format, entries [path, hash, length]][the entries' bytes, in order] */
function readBlob(file: string): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    return entries;
  }
  try {
    const headerLength = buf.readUInt32LE(0);
    const header = JSON.parse(buf.subarray(4, 4 + headerLength).toString("utf8")) as { format: number; entries: [string, string, number][] };
    if (header.format !== FORMAT) return entries;
    let offset = 4 + headerLength;
    for (const [path, hash, length] of header.entries) {
      if (offset + length > buf.length) return new Map(); // truncated: use none of it
      entries.set(path, { hash, data: buf.subarray(offset, offset + length) });
      offset += length;
    }
  } catch {
    return new Map();
  }
  return entries;
}

/** Written beside the blob, then renamed over it: a concurrent run reads the old blob or the new one, never half of one. */
function writeBlob(file: string, entries: Map<string, Entry>): void {
  const header = Buffer.from(JSON.stringify({ format: FORMAT, entries: [...entries].map(([path, e]) => [path, e.hash, e.data.length]) }), "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length, 0);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    const fd = openSync(temp, "wx", 0o600);
    try {
      for (const part of [length, header, ...[...entries.values()].map((e) => e.data)]) writeSync(fd, part);
      // V8 checks no checksum of bytecode in release builds: the blob must be whole before it is renamed into place
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

const sha1 = (text: string) => createHash("sha1").update(text).digest("base64");

type Compile = (this: NodeModule, content: string, filename: string) => unknown;

/**
 * Node's CommonJS Module class. The bin passes its own `module.constructor`, the same class, so it
 * need not require node:module, which loads Node's ES-module loader with it (about 1 ms of a start).
 */
export type ModuleClass = typeof NodeModule;

/**
 * From now on, CommonJS files under `root` compile through the cache in `file`. `import()` inside
 * them resolves as Node's own loader does (vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER, Node ≥ 20.12);
 * without that constant this installs nothing.
 */
export function installCodeCache(options: { root: string; file: string; Module: ModuleClass }): CodeCache {
  const Module = options.Module;
  const hits: string[] = [];
  const misses: string[] = [];
  const dynamicImport = (vm.constants as unknown as { USE_MAIN_CONTEXT_DEFAULT_LOADER?: symbol } | undefined)?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  const proto = Module.prototype as unknown as { _compile: Compile };
  const original = proto._compile;
  if (dynamicImport === undefined) return { hits, misses, save: () => false, uninstall: () => undefined };

  const stored = readBlob(options.file);
  const compiled = new Map<string, { script: vm.Script; hash: string }>();
  const prefix = options.root.endsWith(sep) ? options.root : options.root + sep;
  quietDefaultLoaderWarning();

  proto._compile = function (this: NodeModule, content: string, filename: string) {
    if (!filename.startsWith(prefix)) return original.call(this, content, filename);
    const hash = sha1(content);
    const entry = stored.get(filename);
    const cachedData = entry?.hash === hash ? entry.data : undefined;
    const script = new vm.Script(Module.wrap(content), { filename, cachedData, importModuleDynamically: dynamicImport as never });
    if (cachedData && !script.cachedDataRejected) hits.push(filename);
    else {
      misses.push(filename);
      compiled.set(filename, { script, hash });
    }
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    const require = Module.createRequire(filename);
    return wrapper.call(this.exports, this.exports, require, this, filename, dirname(filename));
  };

  return {
    hits,
    misses,
    save() {
      if (compiled.size === 0) return false;
      try {
        for (const [filename, { script, hash }] of compiled) stored.set(filename, { hash, data: script.createCachedData() });
        // a file gone (a rebuilt bundle, a package upgraded in place) takes its entry with it: the blob is read whole on every run
        for (const filename of stored.keys()) if (!existsSync(filename)) stored.delete(filename);
        writeBlob(options.file, stored);
        compiled.clear();
        return true;
      } catch {
        return false;
      }
    },
    uninstall() {
      proto._compile = original;
    },
  };
}

/**
 * Node 20 announces vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER as experimental on the first
 * `import()` through it (the bundle's lazy commander, execa and node-plop files); a user asked
 * for none of it, so that one warning is not printed. Every other warning is.
 */
function quietDefaultLoaderWarning(): void {
  const emit = process.emitWarning;
  process.emitWarning = function (warning: string | Error, ...rest: unknown[]) {
    const message = typeof warning === "string" ? warning : warning.message;
    if (message.startsWith("vm.USE_MAIN_CONTEXT_DEFAULT_LOADER")) return;
    return (emit as (...args: unknown[]) => void).call(process, warning, ...rest);
  } as typeof process.emitWarning;
}
