/**
 * Atomic apply: every file is first written to a staging directory beside the
 * target; only when all of them are on disk are they renamed into place. A
 * failure while staging leaves the target exactly as it was.
 */
import { randomBytes } from "node:crypto";
import { chmod, mkdir, rename, rm, rmdir, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { FileTree } from "../render/file-tree.js";
import { contentHash } from "./hash.js";
import { LOCK_PATH, lockText, type StackLock } from "./lock.js";
import { deferInterrupts } from "./interrupt.js";
import type { Plan } from "./plan.js";

export interface ApplyOptions {
  /** Test seam: called before each staged write; throwing simulates an interrupted apply. */
  beforeStage?: (path: string) => void | Promise<void>;
  /** Test seam: called once everything is staged, before the first rename. */
  beforeCommit?: () => void | Promise<void>;
}

export interface ApplyResult {
  written: string[];
  conflicts: string[];
  kept: string[];
  /** managed files of hosts or services no longer in the manifest */
  deleted: string[];
  /** such files that were edited by hand, left in place */
  orphansKept: string[];
}

const WRITES = new Set(["create", "update", "overwrite"]);

function nextLock(plan: Plan, tree: FileTree): StackLock {
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
    // a conflicting file keeps its old hash, so the hand edit is still detected next time
    if (entry.action === "conflict") {
      const old = plan.lock.managed[entry.path];
      if (old) managed[entry.path] = old;
    } else managed[entry.path] = contentHash(file.content);
  }
  return { version: 1, managed };
}

/** Writes one file under the staging root (its directory exists); chmod makes the mode exact whatever the umask. */
async function stageFile(root: string, path: string, content: string, mode: number): Promise<void> {
  const target = join(root, path);
  await writeFile(target, content, { mode });
  await chmod(target, mode);
}

export async function apply(plan: Plan, tree: FileTree, options: ApplyOptions = {}): Promise<ApplyResult> {
  const toWrite = plan.entries.filter((e) => WRITES.has(e.action)).map((e) => e.path);
  const result: ApplyResult = {
    written: toWrite,
    conflicts: plan.entries.filter((e) => e.action === "conflict").map((e) => e.path),
    kept: plan.entries.filter((e) => e.action === "keep-user-edit").map((e) => e.path),
    deleted: plan.entries.filter((e) => e.action === "delete").map((e) => e.path),
    orphansKept: plan.entries.filter((e) => e.action === "keep-orphan").map((e) => e.path),
  };
  const lock = nextLock(plan, tree);
  const lockChanged = lockText(lock) !== lockText(plan.lock) || plan.fresh;
  if (toWrite.length === 0 && result.deleted.length === 0 && !lockChanged) return result;

  const target = plan.dir;
  const staging = plan.fresh
    ? join(dirname(target), `.${basename(target)}.nixos-stack-staging-${randomBytes(4).toString("hex")}`)
    : join(target, `.nixos-stack/staging-${randomBytes(4).toString("hex")}`);
  const removeStaging = () => rm(staging, { recursive: true, force: true });
  try {
    await deferInterrupts(
      async () => {
        const dirs = new Set([staging, ...[...toWrite, LOCK_PATH].map((path) => dirname(join(staging, path)))]);
        for (const dir of [...dirs].sort()) await mkdir(dir, { recursive: true });
        // files are staged in parallel; every write settles before a failure (or Ctrl-C) is acted
        // on, so removing the staging directory never races a write still in flight
        const staged = await Promise.allSettled([
          ...toWrite.map(async (path) => {
            await options.beforeStage?.(path);
            const file = tree.get(path)!;
            await stageFile(staging, path, file.content, file.mode);
          }),
          stageFile(staging, LOCK_PATH, lockText(lock), 0o644),
        ]);
        const failed = staged.find((r): r is PromiseRejectedResult => r.status === "rejected");
        if (failed) throw failed.reason;
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
  await deferInterrupts(
    async () => {
      await options.beforeCommit?.();
      if (plan.fresh) {
        // rename(2) replaces an empty directory, so the whole tree appears at once
        await rmdir(target).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== "ENOENT") throw err;
        });
        await rename(staging, target);
        return;
      }
      for (const path of [...toWrite, LOCK_PATH]) {
        await mkdir(dirname(join(target, path)), { recursive: true });
        await rename(join(staging, path), join(target, path));
      }
      for (const path of result.deleted) await unlink(join(target, path));
      await removeStaging();
    },
    async () => "\nInterrupted after the files were written; the repo is complete.\n",
  );
  return result;
}
