/**
 * The lock's fingerprint of a managed file, as nixos-stack last wrote it (lock.ts): sync compares
 * a file on disk with it to tell its own earlier output (updated) from a hand edit (kept, reported).
 * Nothing here defends against an adversary: the files are the user's own, and a hash only has to
 * tell an edit from no edit. So it is xxHash64 (xxhash-wasm: WebAssembly, no dependencies), which a
 * scaffold loads in about 1 ms, instead of SHA-256 through node:crypto, whose loading alone cost a
 * scaffold 2.9 ms (README, Speed). A recorded value says its algorithm ("xxh64-…", "sha256-…"), so
 * a lock written before (SHA-256) still reads, and its entries stay as they are while they match.
 */
import loadXxhash from "xxhash-wasm";

/** A content fingerprint as the lock records it: `xxh64-<16 hex digits>` (or `sha256-<base64>` without WebAssembly). */
export type ContentHash = (content: string) => string;

let loading: Promise<ContentHash> | undefined;

/**
 * The hash new lock entries get. Started once per process, by the first caller: a caller that knows
 * it will need it soon may call it early, so WebAssembly compiles while it does other work.
 */
export function contentHasher(): Promise<ContentHash> {
  loading ??= load();
  return loading;
}

async function load(): Promise<ContentHash> {
  // `node --jitless` has no WebAssembly: such a run records SHA-256, which every run can check
  if (typeof WebAssembly === "undefined") return sha256Hash;
  const { h64ToString } = await loadXxhash();
  return (content) => `xxh64-${h64ToString(content)}`;
}

/** The lock's hash of the versions before xxHash64; node:crypto is loaded only when one is met. */
export function sha256Hash(content: string): string {
  const { createHash } = process.getBuiltinModule("node:crypto");
  return `sha256-${createHash("sha256").update(content).digest("base64")}`;
}

/** Whether `content` is what a lock entry `recorded` was made from, in the algorithm the entry names. */
export function hashMatches(recorded: string | undefined, content: string, hash: ContentHash): boolean {
  if (recorded === undefined) return false;
  if (recorded.startsWith("sha256-")) return sha256Hash(content) === recorded;
  return hash(content) === recorded;
}
