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
import { fetchPinWithNix, type PinFetch, type UpstreamPin, upstreamPin } from "./upstream-pins.js";

export const STUB_INPUTS = fileURLToPath(new URL("../../test-fixtures/stub-inputs", import.meta.url));

/** The branches every template must evaluate on: the default stable one and unstable. */
export const SURFACE_BRANCHES = [DEFAULT_NIXPKGS_BRANCH, "nixos-unstable"] as const;
export type SurfaceBranch = (typeof SURFACE_BRANCHES)[number];

/** The nixpkgs lib our tests evaluate with: the lib-only mirror, pinned in templates/pins/upstream-inputs.json. */
export const NIXPKGS_LIB_PIN: UpstreamPin = upstreamPin("nixpkgs-lib");

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
  /** the store path of the pinned lib through Nix's fetchTarball, or why Nix could not reach it */
  fetchPinned: () => PinFetch;
}

const hasLib = (exists: (p: string) => boolean, dir: string) => exists(join(dir, "lib", "default.nix"));

/**
 * Where the real nixpkgs lib comes from: NIXPKGS_LIB, else the pinned tarball through the Nix
 * store (no download when the store holds it; scripts/seed-nix-inputs.sh puts it there offline).
 */
export function resolveNixpkgsLib(probes: LibProbes): Resolution {
  const fromEnv = probes.env("NIXPKGS_LIB");
  if (fromEnv) {
    return hasLib(probes.exists, fromEnv)
      ? { ok: true, path: fromEnv, from: "NIXPKGS_LIB" }
      : { ok: false, reason: `NIXPKGS_LIB=${fromEnv} has no lib/default.nix: point it at a nixpkgs (or nixpkgs.lib) checkout` };
  }
  const fetched = probes.fetchPinned();
  if (!fetched.ok) return { ok: false, reason: `no nixpkgs lib: NIXPKGS_LIB is unset and ${fetched.reason}` };
  if (!hasLib(probes.exists, fetched.path)) return { ok: false, reason: `no nixpkgs lib: the pinned ${NIXPKGS_LIB_PIN.repo} at ${fetched.path} has no lib/default.nix` };
  return { ok: true, path: fetched.path, from: `${NIXPKGS_LIB_PIN.repo}@${NIXPKGS_LIB_PIN.commit.slice(0, 12)} (pinned, through the Nix store)` };
}

let cached: Resolution | undefined;

/**
 * Whether the offline flake check can run here: Nix, and a nixpkgs lib. Tests skip with the
 * printed reason when not; in CI (`CI` set) they must fail instead.
 */
export function offlineFlakeCheck(): Resolution {
  if (cached) return cached;
  if (spawnSync("nix", ["--version"]).status !== 0) cached = { ok: false, reason: "`nix` is not installed (CI installs Debian's nix-bin)" };
  else cached = resolveNixpkgsLib({ env: (n) => process.env[n], exists: existsSync, fetchPinned: () => fetchPinWithNix(NIXPKGS_LIB_PIN) });
  if (!cached.ok) console.warn(`skipped: the offline nix flake checks: ${cached.reason}`);
  return cached;
}
