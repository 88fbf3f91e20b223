/**
 * XXH64 (seed 0) in plain JavaScript, for the runs that cannot use xxhash-wasm: `node --jitless`
 * has no WebAssembly, and a process whose address space is capped (`ulimit -v`) cannot reserve a
 * WebAssembly memory. It must give the very hashes xxhash-wasm gives, since either may read a lock
 * the other wrote (hash.test.ts checks the reference vectors and agreement on random texts).
 * BigInt, so slow (about 10× the WebAssembly), and used only when that is missing.
 * The algorithm: github.com/Cyan4973/xxHash, doc/xxhash_spec.md, "XXH64 Algorithm Description".
 */
const MASK = 0xffff_ffff_ffff_ffffn;
const P1 = 0x9e3779b185ebca87n;
const P2 = 0xc2b2ae3d27d4eb4fn;
const P3 = 0x165667b19e3779f9n;
const P4 = 0x85ebca77c2b2ae63n;
const P5 = 0x27d4eb2f165667c5n;

const rotl = (x: bigint, r: bigint) => ((x << r) | (x >> (64n - r))) & MASK;
const round = (acc: bigint, lane: bigint) => (rotl((acc + lane * P2) & MASK, 31n) * P1) & MASK;
const merge = (acc: bigint, value: bigint) => (((acc ^ round(0n, value)) * P1 + P4) & MASK);

/** XXH64 of the bytes, seed 0, as 16 hex digits (xxhash-wasm's h64ToString). */
export function xxh64Hex(bytes: Uint8Array): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = bytes.byteLength;
  let i = 0;
  let h: bigint;
  if (length >= 32) {
    let v1 = (P1 + P2) & MASK;
    let v2 = P2;
    let v3 = 0n;
    let v4 = (0n - P1) & MASK;
    for (; i + 32 <= length; i += 32) {
      v1 = round(v1, view.getBigUint64(i, true));
      v2 = round(v2, view.getBigUint64(i + 8, true));
      v3 = round(v3, view.getBigUint64(i + 16, true));
      v4 = round(v4, view.getBigUint64(i + 24, true));
    }
    h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & MASK;
    for (const v of [v1, v2, v3, v4]) h = merge(h, v);
  } else {
    h = P5;
  }
  h = (h + BigInt(length)) & MASK;
  for (; i + 8 <= length; i += 8) h = (rotl(h ^ round(0n, view.getBigUint64(i, true)), 27n) * P1 + P4) & MASK;
  if (i + 4 <= length) {
    h = (rotl(h ^ ((BigInt(view.getUint32(i, true)) * P1) & MASK), 23n) * P2 + P3) & MASK;
    i += 4;
  }
  for (; i < length; i++) h = (rotl(h ^ ((BigInt(bytes[i]!) * P5) & MASK), 11n) * P1) & MASK;
  h ^= h >> 33n;
  h = (h * P2) & MASK;
  h ^= h >> 29n;
  h = (h * P3) & MASK;
  h ^= h >> 32n;
  return h.toString(16).padStart(16, "0");
}
