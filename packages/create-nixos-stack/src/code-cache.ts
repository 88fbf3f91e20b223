/**
 * V8's code cache for the bundle on Node < 22.1, which has no `module.enableCompileCache()`: the
 * same idea, by hand. CommonJS files under `root` are compiled with `vm.Script` and the bytecode
 * V8 produced for them last time (`cachedData`), so a run skips parsing and compiling what an
 * earlier run compiled; at exit the bytecode of this run (after it ran, so it holds every function
 * the run compiled lazily) is written back when anything was missing. Measured on Node 20 (README,
 * Speed): the `--yes` scaffold's own work above Node's start halves.
 *
 * An entry holds the functions of the runs that wrote it, so each entry records their purposes
 * (`create`, `help`, a subcommand: `runPurpose`). A run whose purpose an entry lacks writes that
 * entry again at exit, now with its own functions too: otherwise a `--help` first after an install
 * would leave every later scaffold compiling its functions lazily, 8 ms a run (README, Speed).
 *
 * Each file's bytecode is an entry of its own (`codeCacheStore`), keyed by the file's path and the
 * sha1 of its source: V8 checks only its own version, its flags and the source's length, so without
 * the hash a new release of the same length would run the old bytecode. The entries live in a
 * directory of the user's own (`codeCacheDir`); anything unexpected there (another owner, other
 * users' write access, a symbolic link, a damaged entry) means compiling as usual, never an error.
 */
import { createHash } from "node:crypto";
import { closeSync, existsSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import type NodeModule from "node:module";
import { dirname, join, sep } from "node:path";
import vm from "node:vm";

/**
 * The entries' layout version: a change of layout never reads an old entry (1 was one blob of every
 * file; 2 had no purposes).
 */
const FORMAT = 3;

interface Entry {
  hash: string;
  /** the purposes of the runs whose compiled functions the bytecode holds */
  purposes: string[];
  data: Buffer;
}

export interface CodeCache {
  /** files compiled from cached bytecode this run */
  readonly hits: string[];
  /** files compiled from source (no entry, another source, or V8 refused the bytecode) */
  readonly misses: string[];
  /** hits whose entry lacked this run's purpose: written again at exit, with this run's functions */
  readonly widened: string[];
  /** Writes the entries of what this run compiled from source and of what it widened, if anything; true when it wrote. Never throws. */
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

/**
 * The cache of this Node (V8 refuses another version's bytecode anyway) and this bundle directory:
 * a directory holding one entry file per module, so a run reads the entries of the modules it
 * loads and no others (one blob of every module any run compiled had grown to 1.24 MB here, read
 * whole by every run; README, Speed).
 */
export function codeCacheStore(dir: string, root: string): string {
  const key = createHash("sha1").update(`${process.version} ${process.arch} ${root}`).digest("hex").slice(0, 16);
  return join(dir, key);
}

const entryFile = (store: string, filename: string) => join(store, `${createHash("sha1").update(filename).digest("hex").slice(0, 16)}.bin`);

/** An entry: [u32 header length][header JSON: format, path, hash, purposes][the bytecode]. Undefined when missing, damaged or another file's. */
function readEntry(file: string, filename?: string): (Entry & { path: string }) | undefined {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    return undefined;
  }
  try {
    const headerLength = buf.readUInt32LE(0);
    if (4 + headerLength > buf.length) return undefined;
    const header = JSON.parse(buf.subarray(4, 4 + headerLength).toString("utf8")) as { format: number; path: string; hash: string; purposes: unknown };
    if (header.format !== FORMAT || typeof header.path !== "string" || (filename !== undefined && header.path !== filename)) return undefined;
    const purposes = Array.isArray(header.purposes) ? header.purposes.filter((p): p is string => typeof p === "string") : [];
    const data = buf.subarray(4 + headerLength);
    return data.length > 0 ? { path: header.path, hash: header.hash, purposes, data } : undefined;
  } catch {
    return undefined;
  }
}

/** Written beside the entry, then renamed over it: a concurrent run reads the old entry or the new one, never half of one. */
function writeEntry(file: string, filename: string, entry: Entry): void {
  const header = Buffer.from(JSON.stringify({ format: FORMAT, path: filename, hash: entry.hash, purposes: entry.purposes }), "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length, 0);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    const fd = openSync(temp, "wx", 0o600);
    try {
      for (const part of [length, header, entry.data]) writeSync(fd, part);
      // V8 checks no checksum of bytecode in release builds: the entry must be whole before it is renamed into place
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

/**
 * The entries of files that no longer exist (a rebuilt bundle, a package upgraded in place) go.
 * Another run's temporary files stay: it may be writing one now (writeEntry removes its own on failure).
 */
function prune(store: string): void {
  for (const name of readdirSync(store)) {
    if (!name.endsWith(".bin")) continue;
    const file = join(store, name);
    const entry = readEntry(file);
    if (entry === undefined || !existsSync(entry.path)) rmSync(file, { force: true });
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
 * From now on, CommonJS files under `root` compile through the cache in `store`, for a run of the
 * given `purpose` (`runPurpose`). `import()` inside them resolves as Node's own loader does
 * (vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER, Node ≥ 20.12); without that constant this installs nothing.
 */
export function installCodeCache(options: { root: string; store: string; Module: ModuleClass; purpose: string }): CodeCache {
  const { Module, purpose } = options;
  const hits: string[] = [];
  const misses: string[] = [];
  const widened: string[] = [];
  const dynamicImport = (vm.constants as unknown as { USE_MAIN_CONTEXT_DEFAULT_LOADER?: symbol } | undefined)?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  const proto = Module.prototype as unknown as { _compile: Compile };
  const original = proto._compile;
  if (dynamicImport === undefined) return { hits, misses, widened, save: () => false, uninstall: () => undefined };

  /** what save() writes: the scripts compiled from source, and the hits whose entry lacked this purpose */
  const compiled = new Map<string, { script: vm.Script; hash: string; purposes: string[] }>();
  const prefix = options.root.endsWith(sep) ? options.root : options.root + sep;
  quietDefaultLoaderWarning();

  proto._compile = function (this: NodeModule, content: string, filename: string) {
    if (!filename.startsWith(prefix)) return original.call(this, content, filename);
    const hash = sha1(content);
    const entry = readEntry(entryFile(options.store, filename), filename);
    const cachedData = entry?.hash === hash ? entry.data : undefined;
    const script = new vm.Script(Module.wrap(content), { filename, cachedData, importModuleDynamically: dynamicImport as never });
    if (cachedData && !script.cachedDataRejected) {
      hits.push(filename);
      // the bytecode V8 makes at exit holds the entry's functions and those this run compiled lazily
      if (!entry!.purposes.includes(purpose)) {
        widened.push(filename);
        compiled.set(filename, { script, hash, purposes: [...entry!.purposes, purpose] });
      }
    } else {
      misses.push(filename);
      compiled.set(filename, { script, hash, purposes: [purpose] });
    }
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    const require = Module.createRequire(filename);
    return wrapper.call(this.exports, this.exports, require, this, filename, dirname(filename));
  };

  return {
    hits,
    misses,
    widened,
    save() {
      if (compiled.size === 0) return false;
      try {
        try {
          mkdirSync(options.store, { mode: 0o700 });
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        }
        for (const [filename, { script, hash, purposes }] of compiled) writeEntry(entryFile(options.store, filename), filename, { hash, purposes, data: script.createCachedData() });
        prune(options.store);
        rmSync(`${options.store}.bin`, { force: true }); // the one blob of format 1, beside the store
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
