/** Default answers: what `--yes` (or a non-interactive run) uses for every question left open. */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { basename, join } from "node:path";
import { DEFAULTS, publicKeysInFile } from "@nixos-stack/core";
import type { StackAnswers } from "./answers.js";

/** The operator's own public keys, if there are any: those of the first of ~/.ssh/id_{ed25519,ecdsa,rsa}.pub that holds keys. */
export function findOwnPublicKeys(home = homedir()): string[] {
  for (const name of ["id_ed25519.pub", "id_ecdsa.pub", "id_rsa.pub"]) {
    const path = join(home, ".ssh", name);
    if (!existsSync(path)) continue;
    const found = publicKeysInFile(readFileSync(path, "utf8"));
    if (found.ok) return found.keys;
  }
  return [];
}

/** A project name from the target directory: lower-cased, other characters turned into '-'. */
export function projectNameFrom(dir: string): string {
  const name = basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return name || "nixos-stack";
}

/**
 * The default answers that are the same on every machine: all but the preset, the project name
 * (the directory's) and the operator's public keys (found in ~/.ssh).
 * No sshPort: each preset has its own (the schema's 2222 for a VPS, 22 on a LAN: presets/fleet.ts).
 */
export const FIXED_DEFAULT_ANSWERS = {
  admin: DEFAULTS.adminName,
  timeZone: DEFAULTS.timeZone,
  locale: DEFAULTS.locale,
  nixpkgsBranch: DEFAULTS.nixpkgsBranch,
  gateway: true,
} as const satisfies Partial<StackAnswers>;

export function defaultAnswers(dir: string, home?: string): StackAnswers {
  return { preset: "vps", name: projectNameFrom(dir), sshKeys: findOwnPublicKeys(home), ...FIXED_DEFAULT_ANSWERS };
}
