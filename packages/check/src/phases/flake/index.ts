/**
 * Phase 3, flake: `nix flake check` (evaluation only unless --build), through
 * the local nix or Docker; Nix's errors become findings at the failing host,
 * option and file.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { LineIndex } from "../../text/line-index.js";
import type { RepoFiles } from "../../repo-files.js";
import type { Finding, OverrideInput, PhaseResult, RunnerName } from "../../types.js";
import { describeFlakeErrors, fetchFailure, splitNixOutput, type FlakeError } from "./parse-nix-errors.js";
import { absoluteOverrides, dockerCommand, dockerLayout, localCommand, overrideExists, resolveRunner, type Command, type RunnerProbes } from "./runners.js";

export interface FlakePhaseOptions {
  runner?: RunnerName;
  build?: boolean;
  overrideInputs?: readonly OverrideInput[];
  repo: RepoFiles;
  /** test seam: how runners are probed */
  probes?: RunnerProbes;
}

/** Pure: one flake error as a finding; the message leads with the host and option it concerns. */
export function flakeErrorFinding(e: FlakeError): Finding {
  const where = [e.host ? `host ${e.host}` : e.attr, e.option ? `option ${e.option}` : undefined].filter(Boolean).join(", ");
  const assertion = /^Failed assertions:/.test(e.message);
  return {
    phase: "flake",
    severity: "error",
    file: e.file,
    line: e.line,
    column: e.column,
    source: e.source,
    rule: assertion ? "nixos-assertion" : e.option ? "nixos-option" : "nix-eval",
    message: where ? `${where}: ${e.message}` : e.message,
  };
}

function lastLines(text: string, n: number): string {
  return text.trim().split("\n").slice(-n).join("\n");
}

export async function runFlakePhase(dir: string, options: FlakePhaseOptions): Promise<Omit<PhaseResult, "durationMs">> {
  const base = { phase: "flake" as const, findings: [] as Finding[] };
  const flake = await readFile(join(dir, "flake.nix"), "utf8").catch(() => undefined);
  if (flake === undefined) return { ...base, status: "could-not-run", reason: `no flake.nix in ${dir}`, summary: "no flake.nix" };
  // relative to the caller (the CLI has already resolved against its own cwd)
  const overrideInputs = absoluteOverrides(options.overrideInputs ?? [], process.cwd());
  const missing = overrideInputs.filter((o) => !overrideExists(o));
  if (missing.length) {
    return { ...base, status: "could-not-run", reason: `--override-input ${missing.map((o) => `${o.name} ${o.path}`).join(", ")}: no such directory`, summary: "bad --override-input" };
  }
  const runner = await resolveRunner(options.runner ?? "auto", options.probes);
  if (!runner.ok) return { ...base, status: "could-not-run", reason: runner.reason, summary: "no runner" };

  const flags = { build: options.build, overrideInputs };
  // a flake in a subdirectory of a git repo is copied with the whole repo: its files sit under <store>/<subdir>/
  const layout = options.repo.git ? await dockerLayout(dir) : { mountRoot: dir, subdir: "" };
  const command: Command = runner.runner === "local" ? localCommand(dir, flags, runner.nix) : dockerCommand(layout, flags);
  const roots = runner.runner === "local" ? [dir] : [dir, layout.subdir ? `/repo/${layout.subdir}` : "/repo"];
  const result = await execa(command.file, command.args, { cwd: command.cwd ?? dir, reject: false, env: { NO_COLOR: "1" } });
  if (result.exitCode === undefined) return { ...base, status: "could-not-run", reason: `could not start ${command.file}: ${result.message}`, summary: runner.runner };

  const output = splitNixOutput(result.stderr);
  const label = `${runner.runner === "local" ? "local nix" : "docker nixos/nix"}, ${options.build ? "build" : "--no-build"}`;
  const offline = fetchFailure(output);
  if (offline) {
    return {
      ...base,
      status: "could-not-run",
      reason: `Nix could not fetch the flake's inputs (${offline}): connect to the network, or pass --override-input <input> <path> for each input you have a local copy of`,
      summary: label,
    };
  }
  const lineCache = new Map<string, LineIndex | undefined>();
  const repoFiles = new Set(options.repo.git ? options.repo.tracked : options.repo.files);
  // Nix's snippets are compared with the repo's lines to tell this repo's files from an input's
  const contents = new Map<string, string>();
  await Promise.all(
    output.errors.length
      ? [...repoFiles].filter((f) => f.endsWith(".nix")).map(async (f) => contents.set(f, await readFile(join(dir, f), "utf8").catch(() => "")))
      : [],
  );
  const lineOf = (file: string, line: number) => {
    if (!lineCache.has(file)) lineCache.set(file, contents.has(file) ? new LineIndex(contents.get(file)!) : undefined);
    return lineCache.get(file)?.lineText(line);
  };
  const findings = describeFlakeErrors(output, { repoFiles, repoRoots: roots, lineOf, subdir: layout.subdir }).map(flakeErrorFinding);
  for (const w of output.warnings) {
    if (/^Git tree '.*' is dirty$/.test(w) || /^not writing modified lock file/.test(w)) continue;
    findings.push({ phase: "flake", severity: "info", rule: "nix-warning", message: w });
  }
  if (result.exitCode !== 0 && !findings.some((f) => f.severity === "error")) {
    findings.push({ phase: "flake", severity: "error", rule: "nix-eval", message: `nix flake check failed (exit ${result.exitCode}):\n${lastLines(result.stderr || result.stdout, 15)}` });
  }
  const failed = findings.some((f) => f.severity === "error");
  return { ...base, status: "ran", summary: failed ? label : `${label}, every output evaluates`, findings };
}
