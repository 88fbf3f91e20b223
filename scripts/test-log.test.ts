/**
 * The log of `./scripts/test-all.sh` as CI and a redirect see it: plain text, one turbo run, and a
 * closing line computed in-process (no JSON report file named and then deleted).
 */
import { readFileSync } from "node:fs";
import { execa } from "execa";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../", import.meta.url).pathname;
const FIXTURE = new URL("./fixtures/vitest-log/", import.meta.url).pathname;
const TEST_ALL = readFileSync(new URL("./test-all.sh", import.meta.url), "utf8");
const commands = TEST_ALL.split("\n").filter((line) => line.trim() && !line.trim().startsWith("#"));

describe("the test log", () => {
  it("run-vitest.sh, piped: no colour codes even with TERM set, no report file named, a plain closing line with the real counts", async () => {
    // the environment of a terminal user who redirects the log (no NO_COLOR, no vitest worker variables)
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VITEST|NO_COLOR|FORCE_COLOR|NODE_ENV|TEST)/.test(k)));
    const r = await execa("./scripts/run-vitest.sh", ["--root", FIXTURE, "--config", `${FIXTURE}vitest.config.mjs`], { cwd: ROOT, env: { ...env, TERM: "xterm" }, extendEnv: false, reject: false, all: true, timeout: 60_000 });
    expect(r.exitCode).toBe(1); // the fixture has a failing test: the script still fails the run
    expect(r.all).not.toContain("\u001b[");
    expect(r.all).not.toMatch(/JSON report/i);
    expect(r.all.trim().split("\n").at(-1)).toBe("vitest: 1 passed, 1 failed, 1 skipped");
  });

  it("test-all.sh starts turbo once (one banner): setup does not build, build + typecheck + lint share one run", () => {
    const turbo = commands.filter((line) => /\bturbo run\b|\bpnpm (run )?(build|typecheck|lint)\b/.test(line));
    expect(turbo).toHaveLength(1);
    expect(turbo[0]).toMatch(/turbo run build typecheck lint\b/);
    expect(commands.find((line) => line.includes("setup.sh"))).toMatch(/setup\.sh --no-build/);
  });

  it("the README's `pnpm test` row names every stage test-all.sh runs", () => {
    const row = readFileSync(new URL("../README.md", import.meta.url), "utf8").split("\n").find((line) => line.startsWith("| `pnpm test` |"));
    const tasks = commands.find((line) => line.includes("turbo run"))!.match(/turbo run ((?:\w+ ?)+)/)![1]!.trim().split(" ");
    for (const stage of ["setup", ...tasks, "examples", "vitest"]) expect(row, stage).toContain(stage);
  });
});
