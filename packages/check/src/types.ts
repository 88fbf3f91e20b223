/** What `check` reports: findings, one record each, and how each phase went. */

export const PHASES = ["manifest", "static", "flake"] as const;
export type PhaseName = (typeof PHASES)[number];

/** error and warning make the repo "not sound" (exit 1); info is printed and never fails the run. */
export type Severity = "error" | "warning" | "info";

export interface Finding {
  phase: PhaseName;
  severity: Severity;
  /** POSIX path relative to the repo root */
  file?: string;
  line?: number;
  column?: number;
  message: string;
  /** a stable id for the kind of finding, e.g. `nix-parse`, `managed-drift`, `SC2086` */
  rule?: string;
  /** the offending source line, when known, for the human report */
  source?: string;
}

export interface PhaseResult {
  phase: PhaseName;
  /** `incomplete`: part of the phase could not run (the reason says why); `skipped`: not selected */
  status: "ran" | "incomplete" | "could-not-run";
  /** why the phase (or part of it) could not run, and what to do about it */
  reason?: string;
  /** one line for the progress report, e.g. `14 .nix files parsed, 4 scripts` */
  summary: string;
  findings: Finding[];
  durationMs: number;
}

export type RunnerName = "auto" | "local" | "docker";

export interface OverrideInput {
  name: string;
  /** a local path (or any flake reference) */
  path: string;
}

export interface CheckOptions {
  dir: string;
  phases?: readonly PhaseName[];
  runner?: RunnerName;
  /** build the checks instead of `--no-build` */
  build?: boolean;
  overrideInputs?: readonly OverrideInput[];
  /** progress hooks for the CLI */
  onPhaseStart?: (phase: PhaseName) => void;
  onPhaseEnd?: (result: PhaseResult) => void;
}

export interface CheckResult {
  dir: string;
  phases: PhaseResult[];
  findings: Finding[];
  /** 0 sound, 1 findings (error or warning), 2 could not run */
  exitCode: 0 | 1 | 2;
}

/** Findings decide first (a definite "not sound"); otherwise a phase that could not run makes it 2. */
export function exitCodeOf(phases: readonly PhaseResult[]): 0 | 1 | 2 {
  if (phases.some((p) => p.findings.some((f) => f.severity !== "info"))) return 1;
  if (phases.some((p) => p.status !== "ran")) return 2;
  return 0;
}
