/** `--json`: one document, with one record per finding (phase, severity, file, line, column, message, rule). */
import type { CheckResult } from "../types.js";

export function jsonReport(result: CheckResult): string {
  return `${JSON.stringify(
    {
      version: 1,
      dir: result.dir,
      exitCode: result.exitCode,
      phases: result.phases.map((p) => ({ phase: p.phase, status: p.status, summary: p.summary, ...(p.reason ? { reason: p.reason } : {}), durationMs: Math.round(p.durationMs) })),
      findings: result.findings.map((f) => ({
        phase: f.phase,
        severity: f.severity,
        file: f.file ?? null,
        line: f.line ?? null,
        column: f.column ?? null,
        message: f.message,
        rule: f.rule ?? null,
      })),
    },
    null,
    2,
  )}\n`;
}
