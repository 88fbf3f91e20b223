import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { offlineInputOverrides, PINNED_NIXPKGS_LIB, resolveNixpkgsLib, SURFACE_BRANCHES, VENDORED_NIXPKGS_LIB, type LibProbes } from "./offline-inputs.js";

/** Probes over a made-up file system: `libs` are the directories holding lib/default.nix. */
function probes(options: { env?: string; libs?: string[]; fetched?: string }): LibProbes & { fetches: number } {
  const state = {
    fetches: 0,
    env: (name: string) => (name === "NIXPKGS_LIB" ? options.env : undefined),
    exists: (path: string) => (options.libs ?? []).some((dir) => path === join(dir, "lib", "default.nix")),
    fetchPinned: () => {
      state.fetches += 1;
      return options.fetched ? { ok: true as const, path: options.fetched, from: PINNED_NIXPKGS_LIB } : { ok: false as const, reason: "Nix could not fetch it (offline)" };
    },
  };
  return state;
}

describe("where the offline flake check finds the nixpkgs lib", () => {
  it("NIXPKGS_LIB wins over the vendored copy", () => {
    expect(resolveNixpkgsLib(probes({ env: "/src/nixpkgs", libs: ["/src/nixpkgs", VENDORED_NIXPKGS_LIB] }))).toEqual({ ok: true, path: "/src/nixpkgs", from: "NIXPKGS_LIB" });
  });

  it("a NIXPKGS_LIB without lib/default.nix is an error that says what to point it at", () => {
    const r = resolveNixpkgsLib(probes({ env: "/src/typo", libs: [VENDORED_NIXPKGS_LIB] }));
    expect(r).toEqual({ ok: false, reason: "NIXPKGS_LIB=/src/typo has no lib/default.nix: point it at a nixpkgs (or nixpkgs.lib) checkout" });
  });

  it("takes the vendored copy beside the repo without fetching anything", () => {
    const p = probes({ libs: [VENDORED_NIXPKGS_LIB], fetched: "/nix/store/x-source" });
    expect(resolveNixpkgsLib(p)).toMatchObject({ ok: true, path: VENDORED_NIXPKGS_LIB });
    expect(p.fetches).toBe(0);
  });

  it("fetches the pinned mirror when there is neither", () => {
    const p = probes({ fetched: "/nix/store/abc-source" });
    expect(resolveNixpkgsLib(p)).toEqual({ ok: true, path: "/nix/store/abc-source", from: PINNED_NIXPKGS_LIB });
    expect(p.fetches).toBe(1);
  });

  it("says why it cannot run when nothing is available", () => {
    const r = resolveNixpkgsLib(probes({}));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/^no nixpkgs lib: NIXPKGS_LIB is unset, .*nixpkgs-lib does not exist, and Nix could not fetch it \(offline\)\. Set NIXPKGS_LIB/);
  });
});

describe("the --override-input pairs of a branch", () => {
  it.each(SURFACE_BRANCHES)("%s: the stand-ins, the lib under nixpkgs and the branch marker, all as path: flakes that exist", (branch) => {
    const overrides = offlineInputOverrides(branch, "/lib");
    expect(overrides.map((o) => o.name)).toEqual(["nixpkgs", "nixpkgs/nixpkgs-lib", "nixpkgs/release", "agenix", "colmena", "deploy-rs", "disko", "home-manager", "sops-nix"]);
    expect(overrides.every((o) => o.path.startsWith("path:/"))).toBe(true);
    expect(overrides.find((o) => o.name === "nixpkgs/nixpkgs-lib")?.path).toBe("path:/lib");
    for (const o of overrides.filter((o) => o.name !== "nixpkgs/nixpkgs-lib")) {
      expect(existsSync(o.path.slice("path:".length)), o.path).toBe(true);
    }
    expect(overrides.find((o) => o.name === "nixpkgs/release")?.path).toMatch(new RegExp(`/releases/${branch}$`));
  });
});
