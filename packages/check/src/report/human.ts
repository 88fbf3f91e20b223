/** Human output: a progress line per phase with its findings under it, then a summary. */
import type pc from "picocolors";
import type { CheckResult, Finding, PhaseResult } from "../types.js";

export type Colors = ReturnType<typeof pc.createColors>;

const WIDTH = Math.max(..."manifest static flake".split(" ").map((p) => p.length));

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function counts(findings: readonly Finding[]) {
  return {
    errors: findings.filter((f) => f.severity === "error").length,
    warnings: findings.filter((f) => f.severity === "warning").length,
    infos: findings.filter((f) => f.severity === "info").length,
  };
}

export function formatDuration(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** `✔ static    14 .nix files parsed …, 0 findings  (0.21 s)` */
export function formatPhaseLine(p: PhaseResult, c: Colors): string {
  const { errors, warnings } = counts(p.findings);
  const failing = errors + warnings;
  const name = p.phase.padEnd(WIDTH);
  const time = c.dim(`(${formatDuration(p.durationMs)})`);
  if (p.status === "could-not-run") return `${c.yellow("!")} ${c.bold(name)}  ${c.yellow("could not run")}: ${p.reason ?? p.summary}  ${time}`;
  const mark = failing ? c.red("✖") : p.status === "incomplete" ? c.yellow("!") : c.green("✔");
  const found = failing ? c.red(plural(failing, "finding")) : "0 findings";
  const incomplete = p.status === "incomplete" && p.reason ? `\n  ${c.yellow("incomplete")}: ${p.reason}` : "";
  return `${mark} ${c.bold(name)}  ${p.summary}, ${found}  ${time}${incomplete}`;
}

export function formatLocation(f: Finding): string | undefined {
  if (!f.file) return undefined;
  return [f.file, f.line, f.line !== undefined ? f.column : undefined].filter((x) => x !== undefined).join(":");
}

/** One finding, indented under its phase: severity, place, message, then the source line with a caret. */
export function formatFinding(f: Finding, c: Colors): string {
  const severity = f.severity === "error" ? c.red("error  ") : f.severity === "warning" ? c.yellow("warning") : c.dim("info   ");
  const where = formatLocation(f);
  const [first, ...rest] = f.message.split("\n");
  const rule = f.rule ? c.dim(` [${f.rule}]`) : "";
  const lines = [`    ${severity}  ${where ? `${c.cyan(where)}  ` : ""}${first}${rule}`];
  for (const more of rest) lines.push(`             ${more}`);
  if (f.source !== undefined && f.line !== undefined) {
    const gutter = String(f.line);
    lines.push(c.dim(`             ${gutter} | `) + f.source);
    if (f.column !== undefined && f.column > 0) lines.push(c.dim(`             ${" ".repeat(gutter.length)} | `) + " ".repeat(f.column - 1) + c.red("^"));
  }
  return lines.join("\n");
}

export function formatPhase(p: PhaseResult, c: Colors): string {
  return [formatPhaseLine(p, c), ...p.findings.map((f) => formatFinding(f, c))].join("\n");
}

export function formatSummary(result: CheckResult, c: Colors): string {
  const { errors, warnings, infos } = counts(result.findings);
  const notRun = result.phases.filter((p) => p.status !== "ran").map((p) => `${p.phase}${p.status === "incomplete" ? " (partly)" : ""}`);
  const tally = [plural(errors, "error"), plural(warnings, "warning"), ...(infos ? [`${infos} info`] : [])].join(", ");
  const unrun = notRun.length ? `; could not run: ${notRun.join(", ")}` : "";
  if (result.exitCode === 0) return `${c.green("✔ sound")}: ${result.phases.map((p) => p.phase).join(", ")} passed${infos ? ` (${infos} info)` : ""}`;
  if (result.exitCode === 1) return `${c.red("✖ not sound")}: ${tally}${unrun}`;
  return `${c.yellow("! could not finish")}: no findings${infos ? ` (${infos} info)` : ""}${unrun} — see the reason above`;
}
