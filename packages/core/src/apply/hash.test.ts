import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contentHasher, hashMatches, portableContentHash, sha256Hash } from "./hash.js";

describe("the lock's content hash", () => {
  it("is XXH64 with seed 0 over the UTF-8 bytes: the reference vectors", async () => {
    const hash = await contentHasher();
    // xxHash's own test vectors (github.com/Cyan4973/xxHash, XXH64 of "" and of "abc", seed 0)
    expect(hash("")).toBe("xxh64-ef46db3751d8e999");
    expect(hash("abc")).toBe("xxh64-44bc2cf5ad770999");
    // UTF-8, not UTF-16: "é" is the two bytes c3 a9
    expect(hash("é")).toBe(hash(Buffer.from([0xc3, 0xa9]).toString("utf8")));
    expect(hash("é")).not.toBe(hash("e"));
  });

  it("in plain JavaScript (no WebAssembly) gives the reference vectors too", () => {
    expect(portableContentHash("")).toBe("xxh64-ef46db3751d8e999");
    expect(portableContentHash("abc")).toBe("xxh64-44bc2cf5ad770999");
  });

  it("in plain JavaScript agrees with the WebAssembly on any text, across the 32-, 8-, 4- and 1-byte steps", async () => {
    const hash = await contentHasher();
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (text) => portableContentHash(text) === hash(text)),
      { numRuns: 400 },
    );
    for (let n = 0; n <= 70; n++) expect(portableContentHash("x".repeat(n)), `length ${n}`).toBe(hash("x".repeat(n)));
  });

  it("is loaded once per process", () => {
    expect(contentHasher()).toBe(contentHasher());
  });

  it("matches an entry in the algorithm the entry names: xxh64 now, sha256 from locks written before", async () => {
    const hash = await contentHasher();
    const text = "{ v = 1; }\n";
    expect(hashMatches(hash(text), text, hash)).toBe(true);
    expect(hashMatches(hash(text), "{ v = 2; }\n", hash)).toBe(false);
    const old = `sha256-${createHash("sha256").update(text).digest("base64")}`;
    expect(sha256Hash(text)).toBe(old);
    expect(hashMatches(old, text, hash)).toBe(true);
    expect(hashMatches(old, "{ v = 2; }\n", hash)).toBe(false);
    expect(hashMatches(undefined, text, hash)).toBe(false);
    expect(hashMatches("md5-whatever", text, hash)).toBe(false);
  });
});
