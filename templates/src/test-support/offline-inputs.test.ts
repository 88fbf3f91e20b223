import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { NIXPKGS_LIB_PIN, offlineInputOverrides, REAL_INPUTS, requiredPins, resolveNixpkgsLib, resolveUpstreamPins, STAND_IN_REASONS, STUB_INPUTS, SURFACE_BRANCHES, type LibProbes } from "./offline-inputs.js";
import { upstreamPin } from "./upstream-pins.js";

/** Probes over a made-up file system: `libs` are the directories holding lib/default.nix. */
function probes(options: { env?: string; libs?: string[]; fetched?: string }): LibProbes & { fetches: number } {
  const state = {
    fetches: 0,
    env: (name: string) => (name === "NIXPKGS_LIB" ? options.env : undefined),
    exists: (path: string) => (options.libs ?? []).some((dir) => path === join(dir, "lib", "default.nix")),
    fetchPinned: () => {
      state.fetches += 1;
      return options.fetched ? { ok: true as const, path: options.fetched } : { ok: false as const, reason: "Nix could not reach the pinned nixpkgs-lib (offline)" };
    },
  };
  return state;
}

describe("where the offline flake check finds the nixpkgs lib", () => {
  it("NIXPKGS_LIB wins, and nothing is fetched", () => {
    const p = probes({ env: "/src/nixpkgs", libs: ["/src/nixpkgs", "/nix/store/abc-source"], fetched: "/nix/store/abc-source" });
    expect(resolveNixpkgsLib(p)).toEqual({ ok: true, path: "/src/nixpkgs", from: "NIXPKGS_LIB" });
    expect(p.fetches).toBe(0);
  });

  it("a NIXPKGS_LIB without lib/default.nix is an error that says what to point it at", () => {
    const r = resolveNixpkgsLib(probes({ env: "/src/typo", libs: ["/nix/store/abc-source"], fetched: "/nix/store/abc-source" }));
    expect(r).toEqual({ ok: false, reason: "NIXPKGS_LIB=/src/typo has no lib/default.nix: point it at a nixpkgs (or nixpkgs.lib) checkout" });
  });

  it("else takes the pinned tarball through the Nix store, naming the pin", () => {
    const p = probes({ libs: ["/nix/store/abc-source"], fetched: "/nix/store/abc-source" });
    expect(resolveNixpkgsLib(p)).toEqual({ ok: true, path: "/nix/store/abc-source", from: "nix-community/nixpkgs.lib@de42d44212d2 (pinned, through the Nix store)" });
    expect(p.fetches).toBe(1);
  });

  it("never reads a copy beside the repo: without NIXPKGS_LIB and the pin, it says why it cannot run", () => {
    const beside = fileURLToPath(new URL("../../../../shared/vendor/nixpkgs-lib", import.meta.url));
    const r = resolveNixpkgsLib(probes({ libs: [beside] }));
    expect(r).toEqual({ ok: false, reason: "no nixpkgs lib: NIXPKGS_LIB is unset and Nix could not reach the pinned nixpkgs-lib (offline)" });
  });

  it("a fetched tree without lib/default.nix is refused", () => {
    const r = resolveNixpkgsLib(probes({ fetched: "/nix/store/empty-source" }));
    expect(r).toMatchObject({ ok: false, reason: expect.stringContaining("/nix/store/empty-source has no lib/default.nix") });
  });

  it("the pin is the one the reference gives: commit, tarball, NAR hash, store path", () => {
    expect(NIXPKGS_LIB_PIN).toMatchObject({
      repo: "nix-community/nixpkgs.lib",
      commit: "de42d44212d207476489bce163375d8306a26d59",
      url: "https://github.com/nix-community/nixpkgs.lib/archive/de42d44212d207476489bce163375d8306a26d59.tar.gz",
      sha256: "1v7rldwwmxw2wq7b8zrsmz3mk1kav7q8v3m9b5g14ff4j04r69nj",
      storePath: "/nix/store/spjcdg6wiyqlnq0nv3ljxyw0c4g0zp2r-source",
    });
  });
});

describe("the --override-input pairs of a branch", () => {
  it.each(SURFACE_BRANCHES)("%s: nixpkgs' stand-in with the lib and branch marker, the real upstream flakes at their pins with their own inputs replaced, then the remaining stand-ins", (branch) => {
    const overrides = offlineInputOverrides(branch, "/lib");
    expect(overrides.map((o) => o.name)).toEqual(["nixpkgs", "nixpkgs/nixpkgs-lib", "nixpkgs/release", "disko", "agenix", "agenix/darwin", "agenix/systems", "sops-nix", "colmena", "deploy-rs", "home-manager"]);
    expect(overrides.every((o) => o.path.startsWith("path:/"))).toBe(true);
    expect(overrides.find((o) => o.name === "nixpkgs/nixpkgs-lib")?.path).toBe("path:/lib");
    // the real flakes are their pins' fixed-output store paths, never a tree beside the repo
    for (const name of ["disko", "agenix", "sops-nix", "agenix/systems"]) {
      const pin = upstreamPin(name === "agenix/systems" ? "nix-systems" : name);
      expect(overrides.find((o) => o.name === name)?.path).toBe(`path:${pin.storePath}`);
    }
    for (const o of overrides.filter((o) => o.path.startsWith(`path:${STUB_INPUTS}`))) {
      expect(existsSync(o.path.slice("path:".length)), o.path).toBe(true);
    }
    expect(overrides.find((o) => o.name === "nixpkgs/release")?.path).toMatch(new RegExp(`/releases/${branch}$`));
  });

  it("every input of the generated repos is either a real upstream flake or a stand-in whose reason is written down", () => {
    const real = REAL_INPUTS.map((r) => r.name);
    expect([...real, ...Object.keys(STAND_IN_REASONS)].sort()).toEqual(["agenix", "colmena", "deploy-rs", "disko", "home-manager", "sops-nix"]);
    for (const name of Object.keys(STAND_IN_REASONS)) expect(existsSync(join(STUB_INPUTS, name, "flake.nix")), name).toBe(true);
    for (const name of real) expect(existsSync(join(STUB_INPUTS, name)), `the hand-written ${name} stand-in is gone`).toBe(false);
  });
});

describe("the pinned upstream trees the overrides need", () => {
  const pins = requiredPins();

  it("names each real input's pin and the pinned trees among their own inputs", () => {
    expect(pins.map((p) => p.name)).toEqual(["agenix", "disko", "nix-systems", "sops-nix"]);
  });

  it("is ready when Nix reaches every pin at the store path it names", () => {
    expect(resolveUpstreamPins((pin) => ({ ok: true, path: pin.storePath }), pins)).toEqual({ ok: true });
  });

  it("names the first pin Nix cannot reach, with the seeding command from fetchPinWithNix", () => {
    const r = resolveUpstreamPins((pin) => (pin.name === "disko" ? { ok: false, reason: "Nix could not reach the pinned disko (offline); … scripts/seed-nix-inputs.sh disko <a checkout of nix-community/disko>" } : { ok: true, path: pin.storePath }), pins);
    expect(r).toEqual({ ok: false, reason: "no upstream disko: Nix could not reach the pinned disko (offline); … scripts/seed-nix-inputs.sh disko <a checkout of nix-community/disko>" });
  });

  it("refuses a pin whose tree lands at another store path than it names", () => {
    const r = resolveUpstreamPins((pin) => ({ ok: true, path: pin.name === "agenix" ? "/nix/store/other-source" : pin.storePath }), pins);
    expect(r).toMatchObject({ ok: false, reason: expect.stringContaining("the pinned agenix is at /nix/store/other-source, but its pin names") });
  });
});
