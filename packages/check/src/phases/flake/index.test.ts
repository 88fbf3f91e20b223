import { existsSync } from "node:fs";
import { cp, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { listRepoFiles } from "../../repo-files.js";
import { copyFixture, FIXTURES, gitInit, removeTempDirs, requireBinary, tempDir } from "../../test-support/repos.js";
import { runFlakePhase } from "./index.js";
import type { RunnerProbes } from "./runners.js";

afterAll(removeTempDirs);

/** A fixture flake as a committed git repo (flakes see only tracked files). */
async function fixtureFlake(name: string): Promise<string> {
  const dir = await copyFixture(`flakes/${name}`);
  await gitInit(dir, { commit: true });
  return dir;
}

async function check(dir: string) {
  return runFlakePhase(dir, { runner: "local", repo: await listRepoFiles(dir) });
}

describe("flake phase through the local runner (real nix flake check)", async () => {
  const hasNix = await requireBinary("nix");

  it.runIf(hasNix)("passes a sound flake", async () => {
    const result = await check(await fixtureFlake("passing"));
    expect(result.status).toBe("ran");
    expect(result.findings.filter((f) => f.severity !== "info")).toEqual([]);
    expect(result.summary).toBe("local nix, --no-build, every output evaluates");
  });

  it.runIf(hasNix)("reports a failed assertion once, on its host, at the host's definition", async () => {
    const result = await check(await fixtureFlake("failing-assertion"));
    expect(result.status).toBe("ran");
    const errors = result.findings.filter((f) => f.severity === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      rule: "nixos-assertion",
      file: "flake.nix",
      line: 17,
      message: "host web: Failed assertions:\n- The ‘fileSystems’ option does not specify your root file system.",
    });
  });

  it.runIf(hasNix)("reports an evaluation error at the file, line and column in the host's module", async () => {
    const result = await check(await fixtureFlake("eval-error"));
    const errors = result.findings.filter((f) => f.severity === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      rule: "nix-eval",
      file: "hosts/db/default.nix",
      line: 5,
      column: 30,
      source: "  services.postgresql.port = config.services.postgresql.settings.port;",
      message: "host db: attribute 'settings' missing",
    });
  });

  it.runIf(hasNix)("evaluates only tracked files: an untracked host module is missing to Nix", async () => {
    const dir = await copyFixture("flakes/eval-error");
    await gitInit(dir, { add: ["flake.nix"], commit: true });
    const result = await check(dir);
    // the repo's store path is shown as the repo-relative path the user knows
    expect(result.findings.find((f) => f.severity === "error")?.message).toBe("host db: getting status of './hosts': No such file or directory");
  });
});

describe("flake phase with --override-input (real nix, no network)", async () => {
  const hasNix = await requireBinary("nix");

  it.runIf(hasNix)("evaluates a flake whose input is replaced by a local copy, and leaves flake.lock unwritten", async () => {
    const dir = await fixtureFlake("with-input");
    const local = await copyFixture("flakes/local-input");
    const result = await runFlakePhase(dir, { runner: "local", repo: await listRepoFiles(dir), overrideInputs: [{ name: "dep", path: local }] });
    expect(result).toMatchObject({ status: "ran", findings: [] });
    expect(existsSync(join(dir, "flake.lock"))).toBe(false);
  });

  it("could not run when the local copy does not exist", async () => {
    const dir = await fixtureFlake("with-input");
    const result = await runFlakePhase(dir, { runner: "local", repo: await listRepoFiles(dir), overrideInputs: [{ name: "dep", path: "/nonexistent/dep" }] });
    expect(result).toMatchObject({ status: "could-not-run", reason: expect.stringContaining("--override-input dep /nonexistent/dep") });
  });
});

describe("flake phase without a runner", () => {
  it("could not run, and says how to get Nix or Docker", async () => {
    const dir = await fixtureFlake("passing");
    const probes: RunnerProbes = { localNix: async () => undefined, docker: async () => ({ ok: false, reason: "no `docker` on PATH" }) };
    const result = await runFlakePhase(dir, { runner: "auto", repo: await listRepoFiles(dir), probes });
    expect(result.status).toBe("could-not-run");
    expect(result.reason).toMatch(/install Nix .* or start a Docker engine/);
  });

  it("could not run without a flake.nix", async () => {
    const dir = await copyFixture("static-broken/deploy");
    const result = await runFlakePhase(dir, { runner: "local", repo: await listRepoFiles(dir) });
    expect(result).toMatchObject({ status: "could-not-run", reason: expect.stringContaining("no flake.nix") });
  });
});

describe("flake phase on a flake in a subdirectory of a git repo", async () => {
  const hasNix = await requireBinary("nix");

  it.runIf(hasNix)("maps Nix's paths (relative to the git root) back to the flake's directory", async () => {
    const root = await tempDir();
    await mkdir(join(root, "infra"), { recursive: true });
    await cp(join(FIXTURES, "flakes/eval-error"), join(root, "infra/prod"), { recursive: true });
    await gitInit(root, { commit: true });
    const dir = join(root, "infra/prod");
    const result = await check(dir);
    expect(result.findings.filter((f) => f.severity === "error")).toEqual([expect.objectContaining({ file: "hosts/db/default.nix", line: 5, column: 30 })]);
  });
});
