/**
 * A rendered stack as a git repo on disk, checked and evaluated with the offline inputs (the
 * real module system over the option surface): what the kinds' `*.flake-check.test.ts` share.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Stack } from "@nixos-stack/core";
import { renderStack } from "../index.js";
import { offlineFlakeCheck, offlineInputOverrides, overrideInputArgs, type SurfaceBranch } from "./offline-inputs.js";
import { writeTree } from "./render-to-disk.js";

export const offline = offlineFlakeCheck();

/** A change to the files before the first commit (plant an override, add an encrypted secret). */
export type RepoEdit = (dir: string) => void;

/** Renders the stack into a fresh directory, applies the edits, and commits it all (a flake sees tracked files only). */
export class FlakeRepos {
  private readonly dirs: string[] = [];
  constructor(private readonly prefix: string) {}

  create(stack: Stack, ...edits: RepoEdit[]): string {
    const dir = mkdtempSync(join(tmpdir(), `nixos-stack-${this.prefix}-`));
    this.dirs.push(dir);
    writeTree(renderStack(stack), dir);
    edits.forEach((edit) => edit(dir));
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd: dir });
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "generated");
    return dir;
  }

  cleanup(): void {
    this.dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  }
}

/** nix's flags: the experimental features and every input replaced by its offline stand-in for `branch` (with `repoDir`, its app sources too). */
export function nixArgs(branch: SurfaceBranch, repoDir?: string): string[] {
  if (!offline.ok) throw new Error(offline.reason);
  return ["--extra-experimental-features", "nix-command flakes", ...overrideInputArgs(offlineInputOverrides(branch, offline.path, repoDir))];
}

/** `nix flake check --no-build` in the repo: its exit status and log. */
export function flakeCheck(dir: string, branch: SurfaceBranch): { status: number | null; log: string } {
  const r = spawnSync("nix", ["flake", "check", "--no-build", "--keep-going", "--no-write-lock-file", ...nixArgs(branch)], { cwd: dir, encoding: "utf8" });
  return { status: r.status, log: r.stderr };
}

/** `nix eval --json` of `nixosConfigurations.<host>` with `apply` (a Nix function of the system), parsed. */
export function evalHost(dir: string, branch: SurfaceBranch, host: string, apply: string): any {
  const out = execFileSync("nix", ["eval", "--json", "--no-write-lock-file", `.#nixosConfigurations.${host}`, "--apply", apply, ...nixArgs(branch)], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return JSON.parse(out);
}

/** An edit that puts `lines` at the top of a host's configuration.nix (hosts/<host>/, or targets/<host>/ for a fleet target). */
export function plant(host: string, lines: string, under: "hosts" | "targets" = "hosts"): RepoEdit {
  return (dir) => {
    const file = join(dir, under, host, "configuration.nix");
    const source = readFileSync(file, "utf8").replace("{ pkgs, ... }:\n{\n", `{ pkgs, lib, ... }:\n{\n${lines}\n`);
    if (!source.includes(lines)) throw new Error(`could not plant into ${file}`);
    writeFileSync(file, source);
  };
}

/** An edit that adds what `agenix -e` would have committed for each name: only the files' presence matters to evaluation. */
export function encryptedSecrets(names: readonly string[]): RepoEdit {
  return (dir) => names.forEach((n) => writeFileSync(join(dir, `secrets/${n}.age`), "age-encryption.org/v1\n-> ssh-ed25519 abc\n--- def\n"));
}
