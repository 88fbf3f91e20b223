/**
 * The upstream trees the tests evaluate with, pinned by commit and NAR hash in
 * templates/pins/upstream-inputs.json, and how Nix reaches one: `builtins.fetchTarball
 * { url; sha256; }` takes the fixed-output path from the store without a download when the store
 * holds it (scripts/seed-nix-inputs.sh puts a local checkout there), and downloads it otherwise.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { nix } from "@nixos-stack/core";

export const UPSTREAM_PINS_FILE = fileURLToPath(new URL("../../pins/upstream-inputs.json", import.meta.url));

export interface UpstreamPin {
  name: string;
  repo: string;
  /** the branch the commit was taken from, where it matters (home-manager's pairs with nixpkgs') */
  branch?: string;
  commit: string;
  url: string;
  /** NAR hash of the unpacked tree, base32 (nix-hash --type sha256 --base32) */
  sha256: string;
  storePath: string;
}

export function readUpstreamPins(file = UPSTREAM_PINS_FILE): UpstreamPin[] {
  const raw = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  return Object.entries(raw)
    .filter(([name]) => !name.startsWith("$"))
    .map(([name, value]) => ({ name, ...(value as Omit<UpstreamPin, "name">) }));
}

export function upstreamPin(name: string, file = UPSTREAM_PINS_FILE): UpstreamPin {
  const pin = readUpstreamPins(file).find((p) => p.name === name);
  if (!pin) throw new Error(`${file} pins no input named ${name}`);
  return pin;
}

/** The Nix expression that reaches a pin through the store. */
export function fetchTarballExpression(pin: Pick<UpstreamPin, "url" | "sha256">): string {
  return `builtins.fetchTarball { url = ${nix(pin.url)}; sha256 = ${nix(pin.sha256)}; }`;
}

export type PinFetch = { ok: true; path: string } | { ok: false; reason: string };

/** Evaluates the fetchTarball of a pin with nix-instantiate: its store path, or why Nix could not reach it. */
export function fetchPinWithNix(pin: UpstreamPin, run = spawnSync): PinFetch {
  const r = run("nix-instantiate", ["--eval", "--json", "-E", fetchTarballExpression(pin)], { encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0) {
    const why = (r.stderr ? String(r.stderr) : String(r.error ?? "no output")).trim().split("\n").filter(Boolean).pop() ?? "no output";
    return {
      ok: false,
      reason: `Nix could not reach the pinned ${pin.name} (${why}); on a machine without network put it into the store with scripts/seed-nix-inputs.sh ${pin.name} <a checkout of ${pin.repo}>`,
    };
  }
  return { ok: true, path: JSON.parse(String(r.stdout)) as string };
}
