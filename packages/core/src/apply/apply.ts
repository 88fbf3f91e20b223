/**
 * Atomic apply: every file is first written to a staging directory; only when all of them are on
 * disk are they renamed into place. A failure (or Ctrl-C) while staging leaves the target exactly
 * as it was. Where the staging directory goes:
 * - the target does not exist: beside it, so the whole tree appears with one rename (creating the
 *   target needs write access to its parent anyway);
 * - the target is an existing empty directory (or holds only a `.git` without commits): inside it,
 *   so only the target itself must be writable, and the directory (its owner, mode, `.git`) stays;
 * - an existing repo (--sync, --force): inside its `.nixos-stack/`.
 */
// node:fs/promises through fs.promises, read where it is called: a scaffold never calls it, and loading it costs a start about 1 ms (README, Speed)
import { closeSync, fchmodSync, fstatSync, openSync, promises as fsp, readdirSync, renameSync, rmdirSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { StackError } from "../errors.js";
import type { FileTree } from "../render/file-tree.js";
import { contentHasher, hashMatches, type ContentHash } from "./hash.js";
import { LOCK_PATH, lockText, type StackLock } from "./lock.js";
import { deferInterrupts, noteWritten } from "./interrupt.js";
import { makeDir, makeDirs, makeDirsWithin } from "./make-dirs.js";
import type { Plan } from "./plan.js";

export interface ApplyOptions {
  /** Test seam: called before each staged write; throwing simulates an interrupted apply. */
  beforeStage?: (path: string) => void | Promise<void>;
  /** Test seam: called once everything is staged, before the first rename. */
  beforeCommit?: () => void | Promise<void>;
}

export interface ApplyResult {
  written: string[];
  kept: string[];
  /** managed files of hosts or services no longer in the manifest */
  deleted: string[];
  /** such files that were edited by hand, left in place */
  orphansKept: string[];
}

const WRITES = new Set(["create", "update", "overwrite"]);

function nextLock(plan: Plan, tree: FileTree, hash: ContentHash): StackLock {
  const managed: Record<string, string> = {};
  for (const entry of plan.entries) {
    if (entry.action === "delete") continue;
    // an edited orphan keeps its entry, so `check` can still report it
    if (entry.action === "keep-orphan") {
      managed[entry.path] = plan.lock.managed[entry.path]!;
      continue;
    }
    const file = tree.get(entry.path)!;
    if (file.ownership !== "managed") continue;
    // an entry that still matches stays as it is (an older lock's SHA-256 too): no lock churn
    const recorded = plan.lock.managed[entry.path];
    managed[entry.path] = hashMatches(recorded, file.content, hash) ? recorded! : hash(file.content);
  }
  return { version: 1, managed };
}

/**
 * Writes one new file under the staging root (its directory exists), with exactly `mode` whatever
 * the umask. Synchronous on purpose: a few small files each, and the system calls of a file cost
 * less than the round trips of the same calls through libuv's thread pool (a VPS scaffold's 26
 * files: ~1.5 ms against ~5; 27 files in parallel on the pool: 3.7 ms against 2.8; README, Speed).
 * No write is then ever in flight when a failure or a Ctrl-C is acted on.
 *
 * `exactModes` is one apply's knowledge of the umask: open() gives `mode` less the umask's bits,
 * so the first file of each mode is fstat'ed, and only a mode the umask cuts is fchmod'ed, on every
 * file (a scaffold: 2 fstats instead of 27 fchmods). Per apply, not per process: a process may set
 * another umask between two applies, never during one (nothing else runs while it writes).
 */
function stageFile(root: string, path: string, content: string, mode: number, exactModes: Map<number, boolean>): void {
  const fd = openSync(join(root, path), "wx", mode);
  try {
    let exact = exactModes.get(mode);
    if (exact === undefined) exactModes.set(mode, (exact = (fstatSync(fd).mode & 0o7777) === mode));
    if (!exact) fchmodSync(fd, mode);
    writeFileSync(fd, content);
  } finally {
    closeSync(fd);
  }
}

type Layout = "beside" | "inside" | "update";

/**
 * The staging directory's suffix: a name, not a secret. Math.random, not crypto.randomBytes, whose
 * first call sets up OpenSSL's random generator (0.28 ms of a scaffold). V8 seeds Math.random from
 * the operating system's entropy for each process, and the directory is made exclusively: a name
 * something else already holds is refused (apply below), never written into.
 */
const stagingId = () => Math.floor(Math.random() * 0x1_0000_0000).toString(16).padStart(8, "0");

/** Synchronous, like the writes: a stat, a few renames (the files' own metadata calls, no thread-pool round trips). */
function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw err;
  }
}

/** Renames every entry of the staging directory into the (fresh) target, then removes the staging directory. */
function moveEntries(staging: string, target: string): void {
  for (const name of readdirSync(staging)) renameSync(join(staging, name), join(target, name));
  rmdirSync(staging);
}

export async function apply(plan: Plan, tree: FileTree, options: ApplyOptions = {}): Promise<ApplyResult> {
  const conflicts = plan.entries.filter((e) => e.action === "conflict").map((e) => e.path);
  if (conflicts.length) {
    // a change is written whole or not at all: the user resolves the conflicts (or uses --force) first
    throw new StackError("conflict", `generated files edited by hand: ${conflicts.join(", ")}; nothing was written (resolve them, or use --force)`);
  }
  const toWrite = plan.entries.filter((e) => WRITES.has(e.action)).map((e) => e.path);
  const result: ApplyResult = {
    written: toWrite,
    kept: plan.entries.filter((e) => e.action === "keep-user-edit").map((e) => e.path),
    deleted: plan.entries.filter((e) => e.action === "delete").map((e) => e.path),
    orphansKept: plan.entries.filter((e) => e.action === "keep-orphan").map((e) => e.path),
  };
  const lock = nextLock(plan, tree, await contentHasher());
  const lockChanged = lockText(lock) !== lockText(plan.lock) || plan.fresh;
  if (toWrite.length === 0 && result.deleted.length === 0 && !lockChanged) return result;

  const target = plan.dir;
  const id = stagingId();
  const layout: Layout = !plan.fresh ? "update" : exists(target) ? "inside" : "beside";
  const staging = {
    beside: join(dirname(target), `.${basename(target)}.nixos-stack-staging-${id}`),
    inside: join(target, `.nixos-stack-staging-${id}`),
    update: join(target, `.nixos-stack/staging-${id}`),
  }[layout];
  /** directories made outside the staging directory (the target's missing parents, `.nixos-stack/`), removed again on failure */
  const made: string[] = [];
  /** false until this apply has made the staging directory: one that was there before is not ours to remove */
  let stagingMade = false;
  const removeStaging = async () => {
    if (stagingMade) await fsp.rm(staging, { recursive: true, force: true });
    for (const dir of made.reverse()) await fsp.rmdir(dir).catch(() => undefined);
  };
  try {
    await deferInterrupts(
      async () => {
        made.push(...(await makeDirs(dirname(staging))));
        stagingMade = await makeDir(staging, layout === "beside" ? target : staging);
        if (!stagingMade) throw new StackError("write-failed", `${staging} already exists (left by another run, or made by someone else); nothing was written. Remove it, then run again.`);
        await makeDirsWithin(staging, [...toWrite, LOCK_PATH]);
        const exactModes = new Map<number, boolean>();
        for (const path of toWrite) {
          if (options.beforeStage) await options.beforeStage(path);
          const file = tree.get(path)!;
          stageFile(staging, path, file.content, file.mode, exactModes);
        }
        stageFile(staging, LOCK_PATH, lockText(lock), 0o644, exactModes);
      },
      async () => {
        await removeStaging();
        return "\nCancelled; nothing was written.\n";
      },
    );
  } catch (err) {
    await removeStaging();
    throw err;
  }

  // Everything is staged; an interrupt from here waits until the tree is complete.
  const done = `\nInterrupted after the files were written; the repo in ${target} is complete.\n`;
  await deferInterrupts(
    async () => {
      await options.beforeCommit?.();
      if (layout === "beside") return renameSync(staging, target);
      if (layout === "inside") return moveEntries(staging, target);
      for (const path of [...toWrite, LOCK_PATH]) {
        await makeDirs(dirname(join(target, path)));
        renameSync(join(staging, path), join(target, path));
      }
      for (const path of result.deleted) unlinkSync(join(target, path));
      await fsp.rm(staging, { recursive: true, force: true });
    },
    async () => done,
  );
  noteWritten(done);
  return result;
}
