/** hash.ts when xxhash-wasm cannot load (e.g. "WebAssembly.instantiate(): Out of memory" under `ulimit -v`): the JavaScript XXH64, never a rejection. */
import { describe, expect, it, vi } from "vitest";

vi.mock("xxhash-wasm", () => ({ default: () => Promise.reject(new RangeError("WebAssembly.instantiate(): Out of memory")) }));

describe("the lock's content hash without a WebAssembly memory", () => {
  it("falls back to XXH64 in JavaScript, with the same entries", async () => {
    const { contentHasher, portableContentHash } = await import("./hash.js");
    const hash = await contentHasher();
    expect(hash).toBe(portableContentHash);
    expect(hash("abc")).toBe("xxh64-44bc2cf5ad770999");
  });
});
