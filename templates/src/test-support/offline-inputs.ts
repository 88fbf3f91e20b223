/**
 * The inputs of an offline `nix flake check` on a generated repo, shared by the templates'
 * flake-check tests and the check package's examples test: the stand-in flakes of
 * test-fixtures/stub-inputs, the real nixpkgs lib, and the branch whose option surface the
 * hosts are evaluated against (see test-fixtures/stub-inputs/README.md).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_NIXPKGS_BRANCH, parseStackJson } from "@nixos-stack/core";
import { stackAppSourceInputs } from "../features/node-app.js";

export const STUB_INPUTS = fileURLToPath(new URL("../../test-fixtures/stub-inputs", import.meta.url));

/** The branches every template must evaluate on: the default stable one and unstable. */
export const SURFACE_BRANCHES = [DEFAULT_NIXPKGS_BRANCH, "nixos-unstable"] as const;
export type SurfaceBranch = (typeof SURFACE_BRANCHES)[number];

/** The lib-only mirror of nixpkgs the vendored copy was taken from (its SOURCE.md). */
export const PINNED_NIXPKGS_LIB = "github:nix-community/nixpkgs.lib/de42d44212d207476489bce163375d8306a26d59";
/** CI clones the repo with shared/ beside it. */
export const VENDORED_NIXPKGS_LIB = fileURLToPath(new URL("../../../../shared/vendor/nixpkgs-lib", import.meta.url));

export interface OverrideInput {
  name: string;
  path: string;
}

/** Every stand-in flake beside nixpkgs (disko, home-manager, and whichever input is added next). */
function otherStubInputs(): string[] {
  return readdirSync(STUB_INPUTS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== "nixpkgs" && existsSync(join(STUB_INPUTS, entry.name, "flake.nix")))
    .map((entry) => entry.name)
    .sort();
}

/**
 * `--override-input` pairs for one branch: nixpkgs with its lib and branch marker, then every
 * other stand-in under its own name. `path:` keeps Nix from reading a directory inside this
 * git repo as the whole repo (git+file, tracked files only).
 */
export function offlineInputOverrides(branch: SurfaceBranch, nixpkgsLib: string, repoDir?: string): OverrideInput[] {
  return [
    { name: "nixpkgs", path: `path:${STUB_INPUTS}/nixpkgs` },
    { name: "nixpkgs/nixpkgs-lib", path: `path:${nixpkgsLib}` },
    { name: "nixpkgs/release", path: `path:${join(STUB_INPUTS, "nixpkgs/releases", branch)}` },
    ...otherStubInputs().map((name) => ({ name, path: `path:${join(STUB_INPUTS, name)}` })),
    ...(repoDir === undefined ? [] : appSourceOverrides(repoDir)),
  ];
}

/** The stand-in tree for every node-app source input (`<name>-src`, flake = false): a package.json and its lock. */
export const STUB_APP_SOURCE = join(STUB_INPUTS, "app-sources", "node-app");

/**
 * The app-source inputs of a generated repo (its flake.nix has one per node-app fetched from
 * GitHub), read from its nixos-stack.json: each replaced by the stand-in app tree.
 */
export function appSourceOverrides(repoDir: string): OverrideInput[] {
  const manifest = join(repoDir, "nixos-stack.json");
  if (!existsSync(manifest)) return [];
  const parsed = parseStackJson(readFileSync(manifest, "utf8"));
  if (!parsed.ok) return [];
  return stackAppSourceInputs(parsed.stack).map((input) => ({ name: input.name, path: `path:${STUB_APP_SOURCE}` }));
}

/** The pairs as Nix arguments. */
export function overrideInputArgs(overrides: readonly OverrideInput[]): string[] {
  return overrides.flatMap((o) => ["--override-input", o.name, o.path]);
}

export type Resolution = { ok: true; path: string; from: string } | { ok: false; reason: string };

export interface LibProbes {
  env: (name: string) => string | undefined;
  exists: (path: string) => boolean;
  /** the store path of the pinned mirror, fetched by Nix, or why it could not be fetched */
  fetchPinned: () => Resolution;
}

const hasLib = (exists: (p: string) => boolean, dir: string) => exists(join(dir, "lib", "default.nix"));

/**
 * Where the real nixpkgs lib comes from: NIXPKGS_LIB, else the vendored copy beside the repo,
 * else the pinned mirror fetched by Nix (only outside this environment, where the copy is absent).
 */
export function resolveNixpkgsLib(probes: LibProbes): Resolution {
  const fromEnv = probes.env("NIXPKGS_LIB");
  if (fromEnv) {
    return hasLib(probes.exists, fromEnv)
      ? { ok: true, path: fromEnv, from: "NIXPKGS_LIB" }
      : { ok: false, reason: `NIXPKGS_LIB=${fromEnv} has no lib/default.nix: point it at a nixpkgs (or nixpkgs.lib) checkout` };
  }
  if (hasLib(probes.exists, VENDORED_NIXPKGS_LIB)) return { ok: true, path: VENDORED_NIXPKGS_LIB, from: "the vendored copy" };
  const fetched = probes.fetchPinned();
  if (fetched.ok) return fetched;
  return {
    ok: false,
    reason: `no nixpkgs lib: NIXPKGS_LIB is unset, ${VENDORED_NIXPKGS_LIB} does not exist, and ${fetched.reason}. Set NIXPKGS_LIB to a nixpkgs checkout to run the offline flake checks`,
  };
}

function fetchPinnedWithNix(): Resolution {
  const r = spawnSync("nix", ["--extra-experimental-features", "nix-command flakes", "flake", "prefetch", "--json", PINNED_NIXPKGS_LIB], { encoding: "utf8" });
  if (r.status !== 0) return { ok: false, reason: `Nix could not fetch ${PINNED_NIXPKGS_LIB} (${(r.stderr || String(r.error)).trim().split("\n").pop()})` };
  return { ok: true, path: (JSON.parse(r.stdout) as { storePath: string }).storePath, from: PINNED_NIXPKGS_LIB };
}

let cached: Resolution | undefined;

/**
 * Whether the offline flake check can run here: Nix, and a nixpkgs lib. Tests skip with the
 * printed reason when not; in CI (`CI` set) they must fail instead.
 */
export function offlineFlakeCheck(): Resolution {
  if (cached) return cached;
  if (spawnSync("nix", ["--version"]).status !== 0) cached = { ok: false, reason: "`nix` is not installed (CI installs Debian's nix-bin)" };
  else cached = resolveNixpkgsLib({ env: (n) => process.env[n], exists: existsSync, fetchPinned: fetchPinnedWithNix });
  if (!cached.ok) console.warn(`skipped: the offline nix flake checks: ${cached.reason}`);
  return cached;
}
