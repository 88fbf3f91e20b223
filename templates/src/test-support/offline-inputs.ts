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

/**
 * The inputs of the generated repos that are the real upstream flake, at the commit pinned in
 * templates/pins/upstream-inputs.json and reached through the Nix store, and what replaces each
 * of *their* inputs that our flake.nix does not make follow ours (`inputs.nixpkgs.follows`), so
 * that nothing is fetched: another pinned upstream tree, the nixpkgs stand-in, or a trivial local
 * stand-in under stub-inputs/upstream-deps/ (its flake.nix says why one is enough).
 * templates/src/upstream-inputs.test.ts checks every input of each pinned flake.lock is covered.
 */
export interface RealInput {
  /** the input's name in our flake.nix, and the pin in upstream-inputs.json */
  name: string;
  pin: string;
  /** the pin of each branch where it differs (home-manager's branch follows nixpkgs') */
  pinOf?: Partial<Record<SurfaceBranch, string>>;
  /** `<name>/<input>` overrides: a pin name, or `stub:<dir under stub-inputs>` */
  nested: Record<string, string>;
}

export const REAL_INPUTS: readonly RealInput[] = [
  // nix-community/disko flake.nix: input nixpkgs only (followed)
  { name: "disko", pin: "disko", nested: {} },
  // ryantm/agenix flake.nix: nixpkgs and home-manager are followed; darwin serves only its darwin checks
  { name: "agenix", pin: "agenix", nested: { darwin: "stub:upstream-deps/nix-darwin", systems: "nix-systems" } },
  // Mic92/sops-nix flake.nix: input nixpkgs only (followed)
  { name: "sops-nix", pin: "sops-nix", nested: {} },
];

/**
 * The inputs that keep a hand-written stand-in (a directory here with a flake.nix), and why the
 * real flake cannot evaluate offline with the fake package set; each has a drift test against the
 * pinned upstream tree (templates/src/upstream-inputs.test.ts).
 */
export const STAND_IN_REASONS: Record<string, string> = {
  "home-manager":
    "modules/modules.nix imports nixpkgs' own NixOS modules, `pkgs.path + \"/nixos/modules/misc/assertions.nix\"` and `…/misc/meta.nix` (the lib-only nixpkgs has no nixos/ tree), and nixos/default.nix reads pkgs.systemd and defines systemd.user, environment.pathsToLink and system.userActivationScripts; every per-user module of modules/modules.nix would then be evaluated with the fake pkgs",
  "deploy-rs":
    "flake.nix builds its lib with `import nixpkgs { inherit system; overlays = [ self.overlays.default ]; }` (a nixpkgs with default.nix, rustPlatform.buildRustPackage, runCommand, check-jsonschema), and deployChecks are runCommand builds (check-jsonschema against interface.json), which `nix flake check --no-build` never runs",
  colmena:
    "src/nix/hive/eval.nix evaluates each node with `import (npkgs.path + \"/nixos/lib/eval-config.nix\")`, a file of nixpkgs itself, and its flake.nix reads nixpkgs.legacyPackages.<system>.nix-eval-jobs.version for every system",
};

/** Every stand-in flake beside nixpkgs that is not replaced by a real upstream flake. */
function otherStubInputs(): string[] {
  const real = new Set(REAL_INPUTS.map((r) => r.name));
  return readdirSync(STUB_INPUTS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== "nixpkgs" && !real.has(entry.name) && existsSync(join(STUB_INPUTS, entry.name, "flake.nix")))
    .map((entry) => entry.name)
    .sort();
}

/** The pins the offline check needs: each real input's, and the pinned trees among their nested overrides. */
export function requiredPins(): UpstreamPin[] {
  const names = new Set<string>();
  for (const r of REAL_INPUTS) {
    names.add(r.pin);
    Object.values(r.pinOf ?? {}).forEach((p) => names.add(p));
    Object.values(r.nested).forEach((t) => !t.startsWith("stub:") && names.add(t));
  }
  return [...names].sort().map((n) => upstreamPin(n));
}

/** A pin or a stand-in as an override path. The pin's store path is fixed by its NAR hash, so it is the path fetchTarball gives. */
function targetPath(target: string): string {
  return target.startsWith("stub:") ? `path:${join(STUB_INPUTS, target.slice("stub:".length))}` : `path:${upstreamPin(target).storePath}`;
}

/** The override pairs of the real upstream inputs on a branch: each pinned tree and its nested inputs. */
export function realInputOverrides(branch: SurfaceBranch): OverrideInput[] {
  return REAL_INPUTS.flatMap((r) => [
    { name: r.name, path: targetPath(r.pinOf?.[branch] ?? r.pin) },
    ...Object.entries(r.nested).map(([input, target]) => ({ name: `${r.name}/${input}`, path: targetPath(target) })),
  ]);
}

/**
 * `--override-input` pairs for one branch: nixpkgs with its lib and branch marker, the real
 * upstream flakes at their pins (with their own inputs replaced), then every remaining stand-in
 * under its own name. `path:` keeps Nix from reading a directory inside this
 * git repo as the whole repo (git+file, tracked files only).
 */
export function offlineInputOverrides(branch: SurfaceBranch, nixpkgsLib: string, repoDir?: string): OverrideInput[] {
  return [
    { name: "nixpkgs", path: `path:${STUB_INPUTS}/nixpkgs` },
    { name: "nixpkgs/nixpkgs-lib", path: `path:${nixpkgsLib}` },
    { name: "nixpkgs/release", path: `path:${join(STUB_INPUTS, "nixpkgs/releases", branch)}` },
    ...realInputOverrides(branch),
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

/**
 * Whether Nix reaches every pinned upstream tree the overrides name (`fetch`: fetchPinWithNix,
 * which takes it from the store without a download when it is there), and that each is the
 * store path its pin names. The first one missing is the reason.
 */
export function resolveUpstreamPins(fetch: (pin: UpstreamPin) => PinFetch, pins = requiredPins()): { ok: true } | { ok: false; reason: string } {
  for (const pin of pins) {
    const r = fetch(pin);
    if (!r.ok) return { ok: false, reason: `no upstream ${pin.name}: ${r.reason}` };
    if (r.path !== pin.storePath) return { ok: false, reason: `the pinned ${pin.name} is at ${r.path}, but its pin names ${pin.storePath}: correct storePath in templates/pins/upstream-inputs.json` };
  }
  return { ok: true };
}

let cached: Resolution | undefined;

/**
 * Whether the offline flake check can run here: Nix, a nixpkgs lib, and every pinned upstream
 * flake in the store. Tests skip with the printed reason when not; in CI (`CI` set) they must
 * fail instead.
 */
export function offlineFlakeCheck(): Resolution {
  if (cached) return cached;
  if (spawnSync("nix", ["--version"]).status !== 0) cached = { ok: false, reason: "`nix` is not installed (CI installs Debian's nix-bin)" };
  else cached = resolveNixpkgsLib({ env: (n) => process.env[n], exists: existsSync, fetchPinned: () => fetchPinWithNix(NIXPKGS_LIB_PIN) });
  if (cached.ok) {
    const upstream = resolveUpstreamPins((pin) => fetchPinWithNix(pin));
    if (!upstream.ok) cached = upstream;
  }
  if (!cached.ok) console.warn(`skipped: the offline nix flake checks: ${cached.reason}`);
  return cached;
}
