/** Default answers: what `--yes` (or a non-interactive run) uses for every question left open. */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { basename, join } from "node:path";
import { STABLE_RELEASE } from "@nixos-stack/core";
import type { StackAnswers } from "./answers.js";

/** The operator's own public key, if there is one: the first of ~/.ssh/id_{ed25519,ecdsa,rsa}.pub. */
export function findOwnPublicKey(home = homedir()): string | undefined {
  for (const name of ["id_ed25519.pub", "id_ecdsa.pub", "id_rsa.pub"]) {
    const path = join(home, ".ssh", name);
    if (existsSync(path)) return readFileSync(path, "utf8").trim().split("\n")[0];
  }
  return undefined;
}

/** A project name from the target directory: lower-cased, other characters turned into '-'. */
export function projectNameFrom(dir: string): string {
  const name = basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return name || "nixos-stack";
}

export function defaultAnswers(dir: string, home?: string): StackAnswers {
  const key = findOwnPublicKey(home);
  return {
    preset: "vps",
    name: projectNameFrom(dir),
    admin: "admin",
    sshKeys: key ? [key] : [],
    sshPort: 2222,
    timeZone: "UTC",
    locale: "en_US.UTF-8",
    nixpkgsBranch: `nixos-${STABLE_RELEASE}`,
    gateway: true,
  };
}
