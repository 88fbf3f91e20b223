import pc from "picocolors";
import { describe, expect, it } from "vitest";
import type { CheckResult, PhaseResult } from "../types.js";
import { formatFinding, formatPhaseLine, formatSummary } from "./human.js";
import { jsonReport } from "./json.js";

const plain = pc.createColors(false);

const staticPhase: PhaseResult = {
  phase: "static",
  status: "ran",
  summary: "12 .nix files parsed (1 nix process), 3 scripts (bash -n + shellcheck), secrets lint, git tracking",
  durationMs: 210,
  findings: [{ phase: "static", severity: "error", file: "modules/extra.nix", line: 7, column: 5, rule: "nix-undefined-variable", message: "undefined variable 'settings'", source: "    settings.greeting;" }],
};

describe("human report", () => {
  it("prints one progress line per phase with its counts and time", () => {
    expect(formatPhaseLine({ ...staticPhase, findings: [] }, plain)).toBe(
      "✔ static    12 .nix files parsed (1 nix process), 3 scripts (bash -n + shellcheck), secrets lint, git tracking, 0 findings  (0.21 s)",
    );
    expect(formatPhaseLine(staticPhase, plain)).toMatch(/^✖ static .*, 1 finding {2}\(0\.21 s\)$/);
    expect(formatPhaseLine({ phase: "flake", status: "could-not-run", reason: "no way to run `nix flake check`", summary: "", findings: [], durationMs: 5 }, plain)).toBe(
      "! flake     could not run: no way to run `nix flake check`  (0.01 s)",
    );
  });

  it("prints a finding at file:line:column with its source line and a caret under the column", () => {
    expect(formatFinding(staticPhase.findings[0]!, plain).split("\n")).toEqual([
      "    error    modules/extra.nix:7:5  undefined variable 'settings' [nix-undefined-variable]",
      "             7 |     settings.greeting;",
      "               |     ^",
    ]);
  });

  it("summarises: sound, not sound, or could not finish", () => {
    const result = (phases: PhaseResult[], exitCode: 0 | 1 | 2): CheckResult => ({ dir: "/r", phases, findings: phases.flatMap((p) => p.findings), exitCode });
    expect(formatSummary(result([{ ...staticPhase, findings: [] }], 0), plain)).toBe("✔ sound: static passed");
    expect(formatSummary(result([staticPhase], 1), plain)).toBe("✖ not sound: 1 error, 0 warnings");
    expect(formatSummary(result([{ ...staticPhase, findings: [], status: "could-not-run" }], 2), plain)).toBe("! could not finish: no findings; could not run: static — see the reason above");
  });

  it("uses colour only when asked", () => {
    const coloured = formatFinding(staticPhase.findings[0]!, pc.createColors(true));
    expect(coloured).toContain("\u001b[");
    expect(formatFinding(staticPhase.findings[0]!, plain)).not.toContain("\u001b[");
  });
});

describe("json report", () => {
  it("has one record per finding with phase, severity, file, line, column, message and rule", () => {
    const data = JSON.parse(jsonReport({ dir: "/r", phases: [staticPhase], findings: staticPhase.findings, exitCode: 1 }));
    expect(data.exitCode).toBe(1);
    expect(data.findings).toEqual([{ phase: "static", severity: "error", file: "modules/extra.nix", line: 7, column: 5, message: "undefined variable 'settings'", rule: "nix-undefined-variable" }]);
    expect(data.phases).toEqual([{ phase: "static", status: "ran", summary: staticPhase.summary, durationMs: 210 }]);
  });
});
