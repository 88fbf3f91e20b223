/** `runCheck`: the phases in order (manifest, static, flake), each timed, each free to fail without stopping the others. */
import { realpath, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { runFlakePhase } from "./phases/flake/index.js";
import type { RunnerProbes } from "./phases/flake/runners.js";
import { runManifestPhase } from "./phases/manifest.js";
import { runStaticPhase } from "./phases/static/index.js";
import { listRepoFiles, type RepoFiles } from "./repo-files.js";
import { exitCodeOf, PHASES, type CheckOptions, type CheckResult, type PhaseName, type PhaseResult } from "./types.js";

export class CheckSetupError extends Error {
  override name = "CheckSetupError";
}

export async function runCheck(options: CheckOptions & { probes?: RunnerProbes }): Promise<CheckResult> {
  const given = resolve(options.dir);
  const info = await stat(given).catch(() => undefined);
  if (!info?.isDirectory()) throw new CheckSetupError(`${given} is not a directory: pass the path of a nixos-stack repo`);
  // Nix reports real paths; resolving symlinks here lets its paths map back to the repo
  const dir = await realpath(given);
  const selected = PHASES.filter((p) => (options.phases ?? PHASES).includes(p));
  let repo: RepoFiles | undefined;
  const repoFiles = async () => (repo ??= await listRepoFiles(dir));

  const run = async (phase: PhaseName): Promise<Omit<PhaseResult, "durationMs">> => {
    switch (phase) {
      case "manifest":
        return runManifestPhase(dir);
      case "static":
        return runStaticPhase(dir, { repo: await repoFiles() });
      case "flake":
        return runFlakePhase(dir, { runner: options.runner, build: options.build, overrideInputs: options.overrideInputs, repo: await repoFiles(), probes: options.probes });
    }
  };

  const phases: PhaseResult[] = [];
  for (const phase of selected) {
    options.onPhaseStart?.(phase);
    const started = performance.now();
    let result: Omit<PhaseResult, "durationMs">;
    try {
      result = await run(phase);
    } catch (err) {
      result = { phase, status: "could-not-run", reason: `unexpected failure: ${err instanceof Error ? err.message : String(err)}`, summary: "failed", findings: [] };
    }
    const done: PhaseResult = { ...result, durationMs: performance.now() - started };
    phases.push(done);
    options.onPhaseEnd?.(done);
  }
  return { dir, phases, findings: phases.flatMap((p) => p.findings), exitCode: exitCodeOf(phases) };
}
