/**
 * How `nix flake check` runs: with the local `nix`, or in the nixos/nix Docker
 * image. The command lines are built by pure functions (asserted exactly in
 * tests); choosing a runner probes the machine.
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { resolve } from "node:path";
import { sh } from "@nixos-stack/core";
import { execa } from "execa";
import { dockerEngineAnswers, findOnPath } from "../../tools.js";
import type { OverrideInput, RunnerName } from "../../types.js";

export const DOCKER_IMAGE = "nixos/nix";
/** Named volume holding the container's /nix between runs, so the second run finds the inputs and the evaluation cache. */
export const DOCKER_NIX_VOLUME = "nixos-stack-nix";
const REPO_IN_CONTAINER = "/repo";

export interface FlakeCheckFlags {
  build?: boolean;
  overrideInputs?: readonly OverrideInput[];
}

export interface Command {
  file: string;
  args: string[];
  cwd?: string;
}

/** Pure: the arguments after `nix` (experimental features passed, since Nix 2.8 has flakes behind them). */
export function nixFlakeCheckArgs(flags: FlakeCheckFlags): string[] {
  return [
    "--extra-experimental-features",
    "nix-command flakes",
    "flake",
    "check",
    ...(flags.build ? [] : ["--no-build"]),
    "--keep-going",
    // frames name the host ("while checking the NixOS configuration …") and the files on the way
    "--show-trace",
    // a check never rewrites the user's flake.lock (an overridden input would)
    "--no-write-lock-file",
    ...(flags.overrideInputs ?? []).flatMap((o) => ["--override-input", o.name, o.path]),
  ];
}

export function localCommand(dir: string, flags: FlakeCheckFlags, nix = "nix"): Command {
  return { file: nix, args: nixFlakeCheckArgs(flags), cwd: dir };
}

/** An --override-input value that names a directory on this machine (rather than `github:…`). */
export function isLocalPath(ref: string): boolean {
  return ref.startsWith("/") || ref.startsWith("./") || ref.startsWith("../") || ref.startsWith("~/") || ref === "." || ref === "..";
}

export interface DockerLayout {
  /** absolute path mounted at /repo: the git work tree root, so the flake is a git flake inside the container too */
  mountRoot: string;
  /** the flake's directory relative to mountRoot ("" when they are the same) */
  subdir: string;
}

/**
 * Pure: `docker run` of nixos/nix with the repo mounted. The named volume at /nix
 * starts empty, and Docker copies the image's /nix into an empty named volume on
 * first mount: that is what lets the volume replace the image's store and still
 * have nix in it. Later runs reuse the volume (fast); `docker volume rm
 * nixos-stack-nix` resets it (e.g. to pick up a newer image's Nix).
 */
export function dockerCommand(layout: DockerLayout, flags: FlakeCheckFlags): Command {
  const mounts: string[] = ["-v", `${layout.mountRoot}:${REPO_IN_CONTAINER}`];
  const overrides: OverrideInput[] = [];
  for (const o of flags.overrideInputs ?? []) {
    if (isLocalPath(o.path)) {
      const inside = `/inputs/${o.name}`;
      mounts.push("-v", `${o.path}:${inside}:ro`);
      overrides.push({ name: o.name, path: inside });
    } else overrides.push(o);
  }
  const workdir = layout.subdir ? `${REPO_IN_CONTAINER}/${layout.subdir}` : REPO_IN_CONTAINER;
  // the mounted repo belongs to another uid than the container's root: git (and the libgit2 in newer Nix) refuse it
  // unless it is a safe.directory; '*' for git, the exact path for libgit2 versions that do not read '*'
  const script = `git config --global --add safe.directory '*' && git config --global --add safe.directory ${REPO_IN_CONTAINER} && exec nix ${nixFlakeCheckArgs({ ...flags, overrideInputs: overrides }).map(sh).join(" ")}`;
  return { file: "docker", args: ["run", "--rm", ...mounts, "-w", workdir, "-v", `${DOCKER_NIX_VOLUME}:/nix`, DOCKER_IMAGE, "sh", "-c", script] };
}

/** The git work tree root above `dir` (for the Docker mount), or `dir` itself outside git. */
export async function dockerLayout(dir: string): Promise<DockerLayout> {
  const r = await execa("git", ["rev-parse", "--show-toplevel", "--show-prefix"], { cwd: dir, reject: false });
  if (r.exitCode !== 0) return { mountRoot: dir, subdir: "" };
  const [root, prefix] = r.stdout.split("\n");
  return { mountRoot: root!, subdir: (prefix ?? "").replace(/\/$/, "") };
}

/** Resolve --override-input paths against the caller's working directory and home (neither Nix nor the container can). */
export function absoluteOverrides(overrides: readonly OverrideInput[], cwd: string, home = homedir()): OverrideInput[] {
  return overrides.map((o) => {
    // "stubs/nixpkgs" (no ./) would be read by Nix as a registry name; an existing directory wins
    const existingDir = !o.path.includes(":") && existsSync(resolve(cwd, o.path));
    if (!isLocalPath(o.path) && !existingDir) return o;
    return { ...o, path: o.path.startsWith("~/") ? resolve(home, o.path.slice(2)) : resolve(cwd, o.path) };
  });
}

export type ResolvedRunner = { ok: true; runner: "local"; nix: string } | { ok: true; runner: "docker" } | { ok: false; reason: string };

export interface RunnerProbes {
  localNix: () => Promise<string | undefined>;
  docker: () => Promise<{ ok: true } | { ok: false; reason: string }>;
}

const defaultProbes: RunnerProbes = { localNix: () => findOnPath("nix"), docker: () => dockerEngineAnswers() };

const GET_NIX = "install Nix (https://nixos.org/download, then open a new shell)";
const GET_DOCKER = "start a Docker engine (Docker Desktop, or `sudo systemctl start docker`); the nixos/nix image is pulled on first use";

/** `auto`: the local nix if there is one, else Docker if its engine answers, else say how to get either. */
export async function resolveRunner(requested: RunnerName, probes: RunnerProbes = defaultProbes): Promise<ResolvedRunner> {
  if (requested === "local" || requested === "auto") {
    const nix = await probes.localNix();
    if (nix) return { ok: true, runner: "local", nix };
    if (requested === "local") return { ok: false, reason: `--runner local: no \`nix\` on PATH; ${GET_NIX}, or use --runner docker` };
  }
  const docker = await probes.docker();
  if (docker.ok) return { ok: true, runner: "docker" };
  if (requested === "docker") return { ok: false, reason: `--runner docker: ${docker.reason}; ${GET_DOCKER}, or use --runner local` };
  return { ok: false, reason: `no way to run \`nix flake check\`: no \`nix\` on PATH, and ${docker.reason}. Either ${GET_NIX}, or ${GET_DOCKER}. Meanwhile --phase manifest,static checks everything else` };
}

/** A local --override-input path (made absolute by absoluteOverrides) must exist. */
export function overrideExists(o: OverrideInput): boolean {
  return !isLocalPath(o.path) || existsSync(o.path);
}
