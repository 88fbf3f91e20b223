import { afterAll, describe, expect, it } from "vitest";
import { CheckSetupError, runCheck } from "./run-check.js";
import { copyFixture, gitInit, removeTempDirs, requireBinary, tempDir } from "./test-support/repos.js";
import { exitCodeOf, type PhaseResult } from "./types.js";

afterAll(removeTempDirs);

const phase = (p: Partial<PhaseResult>): PhaseResult => ({ phase: "static", status: "ran", summary: "", findings: [], durationMs: 0, ...p });

describe("exitCodeOf", () => {
  it("0 when every phase ran and nothing but info was found", () => {
    expect(exitCodeOf([phase({ findings: [{ phase: "static", severity: "info", message: "fyi" }] })])).toBe(0);
  });
  it("1 for any error or warning, even when another phase could not run", () => {
    expect(exitCodeOf([phase({ findings: [{ phase: "static", severity: "warning", message: "w" }] }), phase({ phase: "flake", status: "could-not-run" })])).toBe(1);
  });
  it("2 when a phase could not run (or ran only in part) and nothing was found", () => {
    expect(exitCodeOf([phase({}), phase({ phase: "flake", status: "could-not-run" })])).toBe(2);
    expect(exitCodeOf([phase({ status: "incomplete" })])).toBe(2);
  });
});

describe("runCheck", async () => {
  const hasNix = await requireBinary("nix");

  it("refuses a directory that does not exist", async () => {
    await expect(runCheck({ dir: "/nonexistent/nixos-stack-repo" })).rejects.toBeInstanceOf(CheckSetupError);
  });

  it.runIf(hasNix)("runs only the phases asked for, in order, timing each and reporting progress", async () => {
    const dir = await copyFixture("flakes/passing");
    await gitInit(dir, { commit: true });
    const seen: string[] = [];
    const result = await runCheck({ dir, phases: ["flake", "static"], runner: "local", onPhaseStart: (p) => seen.push(`start ${p}`), onPhaseEnd: (p) => seen.push(`end ${p.phase}`) });
    expect(seen).toEqual(["start static", "end static", "start flake", "end flake"]);
    expect(result.phases.every((p) => p.durationMs > 0)).toBe(true);
    expect(result.exitCode).toBe(0);
  });

  it("could not run (2) when nothing is a nixos-stack repo and only the manifest was asked for", async () => {
    const result = await runCheck({ dir: await tempDir(), phases: ["manifest"] });
    expect(result.exitCode).toBe(2);
  });
});
