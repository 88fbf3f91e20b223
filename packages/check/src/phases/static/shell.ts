/**
 * Shell scripts: `bash -n` (or `sh -n` for POSIX sh) on each, then one
 * shellcheck process over all of them when shellcheck is installed.
 */
import { execa } from "execa";
import type { Finding, Severity } from "../../types.js";

export type ShellDialect = "bash" | "sh";

/** Pure: is this file a shell script, and which shell? From the shebang, a `# shellcheck shell=` directive, or a .sh name. */
export function shellDialect(path: string, content: string): ShellDialect | undefined {
  const firstLine = content.slice(0, content.indexOf("\n") === -1 ? undefined : content.indexOf("\n"));
  const shebang = /^#!\s*(?:\/usr\/bin\/env\s+(?:-\S+\s+)*)?(\S+)/.exec(firstLine);
  if (shebang) {
    const interpreter = shebang[1]!.split("/").pop()!;
    if (interpreter === "bash") return "bash";
    if (interpreter === "sh" || interpreter === "dash") return "sh";
    return undefined;
  }
  const directive = /^#\s*shellcheck\s+shell=(\w+)/m.exec(content.slice(0, 2000));
  if (directive) return directive[1] === "sh" || directive[1] === "dash" ? "sh" : "bash";
  return path.endsWith(".sh") ? "bash" : undefined;
}

/**
 * Pure: `bash -n` / `sh -n` stderr → findings. bash prints `f: line 5: syntax error near unexpected token `fi'`
 * then the line itself; dash prints `f: 5: Syntax error: "fi" unexpected`.
 */
export function parseShellSyntaxErrors(file: string, stderr: string): Finding[] {
  const findings: Finding[] = [];
  for (const raw of stderr.split("\n")) {
    const m = /^.*?: (?:line )?(\d+): (.*)$/.exec(raw);
    if (!m) continue;
    const message = m[2]!.trim();
    // bash repeats the offending line as "`fi'" after the message: not a second finding
    if (/^`.*'$/.test(message)) continue;
    findings.push({ phase: "static", severity: "error", file, line: Number(m[1]), rule: "shell-syntax", message });
  }
  if (findings.length === 0 && stderr.trim()) findings.push({ phase: "static", severity: "error", file, rule: "shell-syntax", message: stderr.trim() });
  return findings;
}

interface ShellcheckComment {
  file: string;
  line: number;
  column: number;
  level: "error" | "warning" | "info" | "style";
  code: number;
  message: string;
}

/** shellcheck's "info" holds SC2086 (unquoted expansion), a real bug source: it fails the check; only "style" does not. */
const LEVELS: Record<ShellcheckComment["level"], Severity> = { error: "error", warning: "warning", info: "warning", style: "info" };

/** Pure: `shellcheck -f json1` output → findings (error, warning and info fail the check; style is printed). */
export function parseShellcheckJson(stdout: string): Finding[] {
  const data = JSON.parse(stdout) as { comments: ShellcheckComment[] };
  return data.comments.map((c) => ({
    phase: "static",
    severity: LEVELS[c.level] ?? "warning",
    file: c.file,
    line: c.line,
    column: c.column,
    rule: `SC${c.code}`,
    message: `${c.message} (https://www.shellcheck.net/wiki/SC${c.code})`,
  }));
}

export interface ShellScript {
  file: string;
  dialect: ShellDialect;
}

export interface ShellCheckOutcome {
  findings: Finding[];
  shellcheck: "ran" | "missing";
}

export async function checkShellScripts(dir: string, scripts: readonly ShellScript[], shellcheckBin: string | undefined): Promise<ShellCheckOutcome> {
  const syntax = await Promise.all(
    scripts.map(async (s) => {
      const r = await execa(s.dialect, ["-n", s.file], { cwd: dir, reject: false });
      return r.exitCode === 0 ? [] : parseShellSyntaxErrors(s.file, r.stderr);
    }),
  );
  const findings = syntax.flat();
  if (!shellcheckBin) return { findings, shellcheck: "missing" };
  if (scripts.length === 0) return { findings, shellcheck: "ran" };
  // -x follows `source` into the repo's own files; paths are relative to the repo root, as the scripts' directives are
  const r = await execa(shellcheckBin, ["-f", "json1", "-x", ...scripts.map((s) => s.file)], { cwd: dir, reject: false });
  if (r.exitCode !== 0 && r.exitCode !== 1) {
    findings.push({ phase: "static", severity: "warning", rule: "shellcheck-failed", message: `shellcheck could not run (exit ${r.exitCode}): ${r.stderr.trim()}` });
    return { findings, shellcheck: "ran" };
  }
  const brokenFiles = new Set(findings.map((f) => f.file));
  for (const f of parseShellcheckJson(r.stdout)) {
    // shellcheck's own parse errors (SC1xxx at error level) repeat what `bash -n` already reported for that file
    if (brokenFiles.has(f.file) && f.severity === "error" && /^SC1[01]\d\d$/.test(f.rule ?? "")) continue;
    findings.push(f);
  }
  return { findings, shellcheck: "ran" };
}
