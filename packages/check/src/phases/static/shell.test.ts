import { afterAll, describe, expect, it } from "vitest";
import { copyFixture, removeTempDirs, requireBinary } from "../../test-support/repos.js";
import { checkShellScripts, parseShellcheckJson, parseShellSyntaxErrors, shellDialect } from "./shell.js";

afterAll(removeTempDirs);

describe("shellDialect", () => {
  it("reads the shebang, then a shellcheck directive, then the .sh name", () => {
    expect(shellDialect("bootstrap", "#!/usr/bin/env bash\nset -e\n")).toBe("bash");
    expect(shellDialect("x", "#!/bin/sh\n")).toBe("sh");
    expect(shellDialect("lib.sh", "# header\n# shellcheck shell=bash\nf() { :; }\n")).toBe("bash");
    expect(shellDialect("run.py", "#!/usr/bin/env python3\n")).toBeUndefined();
    expect(shellDialect("README", "# Title\n")).toBeUndefined();
  });
});

describe("parseShellSyntaxErrors", () => {
  it("reads bash's line and message and drops its echo of the line", () => {
    const stderr = "deploy/broken.sh: line 5: syntax error near unexpected token `fi'\ndeploy/broken.sh: line 5: `fi'\n";
    expect(parseShellSyntaxErrors("deploy/broken.sh", stderr)).toEqual([
      { phase: "static", severity: "error", file: "deploy/broken.sh", line: 5, rule: "shell-syntax", message: "syntax error near unexpected token `fi'" },
    ]);
  });

  it("reads dash's format", () => {
    expect(parseShellSyntaxErrors("x.sh", 'x.sh: 3: Syntax error: "fi" unexpected\n')[0]).toMatchObject({ line: 3, message: 'Syntax error: "fi" unexpected' });
  });
});

describe("parseShellcheckJson", () => {
  it("maps levels to severities (info fails, style does not) and keeps the SC code as the rule", () => {
    const json = JSON.stringify({
      comments: [
        { file: "a.sh", line: 3, endLine: 3, column: 6, endColumn: 8, level: "info", code: 2086, message: "Double quote to prevent globbing and word splitting.", fix: null },
        { file: "a.sh", line: 4, endLine: 4, column: 1, endColumn: 2, level: "style", code: 2129, message: "Consider using { cmd1; cmd2; } >> file.", fix: null },
      ],
    });
    expect(parseShellcheckJson(json).map((f) => [f.file, f.line, f.column, f.severity, f.rule])).toEqual([
      ["a.sh", 3, 6, "warning", "SC2086"],
      ["a.sh", 4, 1, "info", "SC2129"],
    ]);
  });
});

describe("checkShellScripts (real bash and shellcheck)", async () => {
  const hasShellcheck = await requireBinary("shellcheck");

  it("reports the broken script at its line and leaves the clean one alone", async () => {
    const dir = await copyFixture("static-broken");
    const scripts = [
      { file: "deploy/broken.sh", dialect: "bash" as const },
      { file: "deploy/clean.sh", dialect: "bash" as const },
    ];
    const { findings, shellcheck } = await checkShellScripts(dir, scripts, hasShellcheck ? "shellcheck" : undefined);
    expect(shellcheck).toBe(hasShellcheck ? "ran" : "missing");
    expect(findings.filter((f) => f.file === "deploy/clean.sh")).toEqual([]);
    const broken = findings.filter((f) => f.file === "deploy/broken.sh");
    expect(broken).toHaveLength(1);
    expect(broken[0]).toMatchObject({ line: 5, rule: "shell-syntax", severity: "error" });
  });

  it.runIf(hasShellcheck)("passes shellcheck's findings through at their lines", async () => {
    const dir = await copyFixture("static-broken");
    const { writeFile } = await import("node:fs/promises");
    await writeFile(`${dir}/deploy/unquoted.sh`, '#!/usr/bin/env bash\ntarget=$1\nrm -rf $target\n');
    const { findings } = await checkShellScripts(dir, [{ file: "deploy/unquoted.sh", dialect: "bash" }], "shellcheck");
    expect(findings).toContainEqual(expect.objectContaining({ file: "deploy/unquoted.sh", line: 3, rule: "SC2086", severity: "warning" }));
  });
});
