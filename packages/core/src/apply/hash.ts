/**
 * The lock's fingerprint of a managed file, as nixos-stack last wrote it (lock.ts): sync compares
 * a file on disk with it to tell its own earlier output (updated) from a hand edit (kept, reported).
 * Nothing here defends against an adversary: the files are the user's own, and a hash only has to
 * tell an edit from no edit. So it is xxHash64 (xxhash-wasm: WebAssembly, no dependencies), which a
 * scaffold loads in about 1 ms, instead of SHA-256 through node:crypto, whose loading alone cost a
 * scaffold 2.9 ms (README, Speed). A recorded value says its algorithm ("xxh64-…", "sha256-…"), so
 * a lock written before (SHA-256) still reads, and its entries stay as they are while they match.
 * Without WebAssembly (`node --jitless`, or no address space for its memory) the same XXH64 runs
 * in plain JavaScript (xxh64.ts): every run reads and writes the same entries.
 */
import loadXxhash from "xxhash-wasm";
import { xxh64Hex } from "./xxh64.js";

/** A content fingerprint as the lock records it: `xxh64-<16 hex digits>`. */
export type ContentHash = (content: string) => string;

let loading: Promise<ContentHash> | undefined;

/**
 * The hash new lock entries get. Started once per process, by the first caller: a caller that knows
 * it will need it soon may call it early, so WebAssembly compiles while it does other work.
 * Never rejects: a WebAssembly that cannot load leaves the JavaScript XXH64.
 */
export function contentHasher(): Promise<ContentHash> {
  loading ??= load();
  return loading;
}

/** XXH64 in plain JavaScript: the same entries as the WebAssembly's, about 10× slower. */
export const portableContentHash: ContentHash = (content) => `xxh64-${xxh64Hex(Buffer.from(content, "utf8"))}`;

async function load(): Promise<ContentHash> {
  try {
    const { h64ToString } = await loadXxhash();
    return (content) => `xxh64-${h64ToString(content)}`;
  } catch {
    // `node --jitless`: no WebAssembly at all (a ReferenceError); a capped address space
    // (ulimit -v): "WebAssembly.instantiate(): Out of memory"
    return portableContentHash;
  }
}

/** The lock's hash of the versions before xxHash64; node:crypto is loaded only when one is met. */
export function sha256Hash(content: string): string {
  const { createHash } = process.getBuiltinModule("node:crypto");
  return `sha256-${createHash("sha256").update(content).digest("base64")}`;
}

/** Whether `content` is what a lock entry `recorded` was made from, in the algorithm the entry names (an unknown one never matches: a conflict, never an overwrite). */
export function hashMatches(recorded: string | undefined, content: string, hash: ContentHash): boolean {
  if (recorded === undefined) return false;
  if (recorded.startsWith("sha256-")) return sha256Hash(content) === recorded;
  return hash(content) === recorded;
}
