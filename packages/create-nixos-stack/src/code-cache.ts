/**
 * V8's code cache for the bundle on Node < 22.1, which has no `module.enableCompileCache()`: the
 * same idea, by hand. CommonJS files under `root` are compiled with `vm.Script` and the bytecode
 * V8 produced for them last time (`cachedData`), so a run skips parsing and compiling what an
 * earlier run compiled; at exit the bytecode of this run (after it ran, so it holds every function
 * the run compiled lazily) is written back when anything was missing. Measured on Node 20 (README,
 * Speed): the `--yes` scaffold's own work above Node's start halves.
 *
 * A file has an entry per purpose of run (`create`, `help`, a subcommand: `runPurpose`), holding
 * the functions that purpose compiled: a `--help` first after an install must not leave every
 * later scaffold compiling its functions lazily (8 ms a run), and a subcommand must not grow the
 * scaffold's entry with its own (one add-target made cli.cjs's entry 702 KB instead of 554, and
 * a scaffold 0.8 ms slower to load it; README, Speed).
 *
 * Each file's bytecode is an entry of its own (`codeCacheStore`), named by the file's path and
 * purpose, and holding the sha1 of its source: V8 checks only its own version, its flags and the source's length, so without
 * the hash a new release of the same length would run the old bytecode. Hashing `cli.cjs` costs a
 * run 0.58 ms, so an entry also records the file's identity (`fileIdentity`: device, inode, size,
 * modification and change times), and a run whose file has the recorded identity uses the entry
 * without hashing; any other run hashes as before. The entries live in a
 * directory of the user's own (`codeCacheDir`); anything unexpected there (another owner, other
 * users' write access, a symbolic link, a damaged entry) means compiling as usual, never an error.
 */
import { closeSync, existsSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import type NodeModule from "node:module";
import { dirname, join, sep } from "node:path";
import vm from "node:vm";

/**
 * The entries' layout version: a change of layout never reads an old entry (1 was one blob of every
 * file; 2 had no purposes; 3 one entry for every purpose, without the file's identity).
 */
const FORMAT = 4;

/**
 * How long after a file's last change its identity is trusted: a file changed later than this
 * before the run started may have been changed again within one tick of its change time, which
 * the kernel updates coarsely (a jiffy on Linux; 1 to 2 s on some file systems), so its entry
 * records no identity and later runs hash it (as git does not trust "racily clean" files).
 */
export const SETTLE_MS = 3000;

interface Entry {
  hash: string;
  /** `fileIdentity` of the file the bytecode was made from, when it had settled; absent: hash it */
  identity?: string;
  /** the purpose of the runs whose compiled functions the bytecode holds */
  purpose: string;
  data: Buffer;
}

export interface CodeCache {
  /** files compiled from cached bytecode this run */
  readonly hits: string[];
  /** files compiled from source (no entry, another source, or V8 refused the bytecode) */
  readonly misses: string[];
  /** files whose source this run hashed (no entry, or not the identity its entry records) */
  readonly hashed: string[];
  /** Writes the entries of what this run compiled from source, and of hits whose file has settled since their entry was written; true when it wrote. Never throws. */
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
    // looked at first, made only when missing: every run after the first finds it, and a mkdir that
    // fails with EEXIST costs a run the error Node builds for it (about 0.1 ms of a start, measured)
    let info = lstatSync(dir, { throwIfNoEntry: false });
    if (info === undefined) {
      try {
        mkdirSync(dir, { mode: 0o700 });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") return undefined; // made by another run meanwhile: checked below as any other
      }
      info = lstatSync(dir);
    }
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
  const key = nameHash(`${process.version} ${process.arch} ${root}`);
  return join(dir, key);
}

/**
 * What the kernel says of the file: a rewrite in place moves its change time (which no user call
 * can set back, unlike the modification time), a new file has another inode. `settled`: its last
 * change is older than SETTLE_MS before the run started, so the content Node read is the content
 * of this identity.
 */
export function fileIdentity(filename: string, startedMs: number): { key: string; settled: boolean } | undefined {
  try {
    // numbers, not { bigint: true }: a run's first BigInt stat costs 0.2 ms, while the number path
    // is warm from codeCacheDir's lstat; a time in ms as a double still resolves a quarter of a µs
    const info = statSync(filename);
    const key = `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
    return { key, settled: info.ctimeMs < startedMs - SETTLE_MS };
  } catch {
    return undefined;
  }
}

const entryFile = (store: string, filename: string, purpose: string) => join(store, `${nameHash(`${filename}\n${purpose}`)}.bin`);

/**
 * A file name for a short text: 16 hex digits, FNV-1a (32 bits) of it from two offset bases. A
 * name only spreads the entries; two texts that share one still never share an entry (readEntry
 * checks the header's path and purpose: a miss, then one overwrites the other). Not node:crypto,
 * whose loading cost a run 2.9 ms (README, Speed).
 */
export function nameHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193);
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}

/** An entry: [u32 header length][header JSON: format, path, purpose, hash, identity; space-padded to 8 bytes][the bytecode]. Undefined when missing, damaged, or another file's or purpose's. */
function readEntry(file: string, filename?: string, purpose?: string): (Entry & { path: string }) | undefined {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    return undefined;
  }
  try {
    const headerLength = buf.readUInt32LE(0);
    if (4 + headerLength > buf.length) return undefined;
    const header = JSON.parse(buf.subarray(4, 4 + headerLength).toString("utf8")) as { format: number; path: string; purpose: unknown; hash: string; identity?: unknown };
    if (header.format !== FORMAT || typeof header.path !== "string" || typeof header.purpose !== "string") return undefined;
    if ((filename !== undefined && header.path !== filename) || (purpose !== undefined && header.purpose !== purpose)) return undefined;
    const data = buf.subarray(4 + headerLength);
    const identity = typeof header.identity === "string" ? header.identity : undefined;
    return data.length > 0 ? { path: header.path, purpose: header.purpose, hash: header.hash, identity, data } : undefined;
  } catch {
    return undefined;
  }
}

/** Written beside the entry, then renamed over it: a concurrent run reads the old entry or the new one, never half of one. */
function writeEntry(file: string, filename: string, entry: Entry): void {
  const json = JSON.stringify({ format: FORMAT, path: filename, purpose: entry.purpose, hash: entry.hash, identity: entry.identity });
  // padded with spaces so the bytecode starts 8-byte aligned in the buffer readEntry reads: V8
  // copies unaligned cached data before it deserialises it (AlignedCachedData, v8/src/snapshot/
  // code-serializer.cc), 554 KB and 135 page faults for cli.cjs's entry
  const header = Buffer.from(json + " ".repeat((8 - ((4 + Buffer.byteLength(json)) % 8)) % 8), "utf8");
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

/** node:crypto is loaded only by a run that hashes a source (a new or changed file): a run whose files have their recorded identity never loads it */
const sha1 = (text: string) => process.getBuiltinModule("node:crypto").createHash("sha1").update(text).digest("base64");

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
export function installCodeCache(options: { root: string; store: string; Module: ModuleClass; purpose: string; startedMs?: number }): CodeCache {
  const { Module, purpose } = options;
  /** before any file under root is read (the bin installs the cache first) */
  const startedMs = options.startedMs ?? Date.now();
  const hits: string[] = [];
  const misses: string[] = [];
  const hashed: string[] = [];
  const dynamicImport = (vm.constants as unknown as { USE_MAIN_CONTEXT_DEFAULT_LOADER?: symbol } | undefined)?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  const proto = Module.prototype as unknown as { _compile: Compile };
  const original = proto._compile;
  if (dynamicImport === undefined) return { hits, misses, hashed, save: () => false, uninstall: () => undefined };

  /** what save() writes: the scripts compiled from source, and the hits whose entry lacks the identity their file has settled to */
  const compiled = new Map<string, { script: vm.Script; hash: string; identity: string | undefined }>();
  const prefix = options.root.endsWith(sep) ? options.root : options.root + sep;
  quietDefaultLoaderWarning();

  proto._compile = function (this: NodeModule, content: string, filename: string) {
    if (!filename.startsWith(prefix)) return original.call(this, content, filename);
    const entry = readEntry(entryFile(options.store, filename, purpose), filename, purpose);
    const found = fileIdentity(filename, startedMs);
    /** recorded with what this run writes: only a settled file's */
    const identity = found?.settled ? found.key : undefined;
    let hash: string;
    if (entry !== undefined && identity !== undefined && entry.identity === identity) hash = entry.hash;
    else {
      hash = sha1(content);
      hashed.push(filename);
    }
    const cachedData = entry?.hash === hash ? entry.data : undefined;
    const script = new vm.Script(Module.wrap(content), { filename, cachedData, importModuleDynamically: dynamicImport as never });
    if (cachedData && !script.cachedDataRejected) {
      hits.push(filename);
      // an entry written while its file was new (or for a copy of it) learns the settled identity once
      if (identity !== undefined && entry!.identity !== identity) compiled.set(filename, { script, hash, identity });
    } else {
      misses.push(filename);
      compiled.set(filename, { script, hash, identity });
    }
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    const require = Module.createRequire(filename);
    return wrapper.call(this.exports, this.exports, require, this, filename, dirname(filename));
  };

  return {
    hits,
    misses,
    hashed,
    save() {
      if (compiled.size === 0) return false;
      try {
        try {
          mkdirSync(options.store, { mode: 0o700 });
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        }
        // the bytecode V8 makes now, after the run, holds the functions it compiled lazily too
        for (const [filename, { script, hash, identity }] of compiled) writeEntry(entryFile(options.store, filename, purpose), filename, { purpose, hash, identity, data: script.createCachedData() });
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
