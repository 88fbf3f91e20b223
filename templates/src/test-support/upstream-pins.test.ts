import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fetchPinWithNix, fetchTarballExpression, readUpstreamPins, upstreamPin } from "./upstream-pins.js";

const hasNix = spawnSync("nix-instantiate", ["--version"]).status === 0;

describe("the upstream pins", () => {
  it("every pin names its repo, a full commit, a tarball of that commit, a base32 NAR hash and its store path", () => {
    const pins = readUpstreamPins();
    expect(pins.map((p) => p.name)).toContain("nixpkgs-lib");
    for (const pin of pins) {
      expect(pin.commit, pin.name).toMatch(/^[0-9a-f]{40}$/);
      expect(pin.url, pin.name).toBe(`https://github.com/${pin.repo}/archive/${pin.commit}.tar.gz`);
      expect(pin.sha256, pin.name).toMatch(/^[0-9abcdfghijklmnpqrsvwxyz]{52}$/);
      expect(pin.storePath, pin.name).toMatch(/^\/nix\/store\/[0-9a-z]{32}-source$/);
    }
  });

  it("an unknown name is an error naming the file", () => {
    expect(() => upstreamPin("nixpkgs-lib-typo")).toThrow(/upstream-inputs\.json pins no input named nixpkgs-lib-typo/);
  });

  it("Nix reaches a pin through fetchTarball with its hash, the values escaped", () => {
    expect(fetchTarballExpression({ url: "https://example.invalid/a.tar.gz", sha256: "x${y}" })).toBe(
      'builtins.fetchTarball { url = "https://example.invalid/a.tar.gz"; sha256 = "x\\${y}"; }',
    );
  });

  it.runIf(hasNix && (Boolean(process.env.CI) || existsSync(upstreamPin("nixpkgs-lib").storePath)))(
    "with the tree in the store, Nix answers the pinned store path without a download (in CI it must)",
    () => {
      const pin = upstreamPin("nixpkgs-lib");
      expect(fetchPinWithNix(pin)).toEqual({ ok: true, path: pin.storePath });
    },
  );

  it.runIf(hasNix)("a failure to reach a pin says how to seed it offline", () => {
    // an unreachable URL with a hash no store path has: Nix must try to download, and cannot
    const pin = { ...upstreamPin("nixpkgs-lib"), url: "http://127.0.0.1:9/none.tar.gz", sha256: "0000000000000000000000000000000000000000000000000000" };
    const r = fetchPinWithNix(pin);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/^Nix could not reach the pinned nixpkgs-lib \(.+\); on a machine without network put it into the store with scripts\/seed-nix-inputs\.sh nixpkgs-lib <a checkout of nix-community\/nixpkgs\.lib>$/);
  });
});
