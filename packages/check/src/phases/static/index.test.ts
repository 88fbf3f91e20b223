import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { copyFixture, gitInit, removeTempDirs, requireBinary } from "../../test-support/repos.js";
import { runStaticPhase } from "./index.js";

afterAll(removeTempDirs);

describe("static phase on a broken fixture repo (real nix-instantiate, bash, shellcheck)", async () => {
  const hasNix = await requireBinary("nix-instantiate");

  it.runIf(hasNix)("reports the parse error, the undefined variable and the broken script each at its file and line", async () => {
    const dir = await copyFixture("static-broken");
    await gitInit(dir);
    const result = await runStaticPhase(dir);
    expect(result.status).toBe("ran");
    const at = (file: string) => result.findings.filter((f) => f.file === file && f.severity === "error").map((f) => ({ line: f.line, column: f.column, rule: f.rule }));
    expect(at("hosts/web/default.nix")).toEqual([{ line: 5, column: 27, rule: "nix-parse" }]);
    expect(at("modules/extra.nix")).toEqual([{ line: 7, column: 41, rule: "nix-undefined-variable" }]);
    expect(at("deploy/broken.sh")).toEqual([{ line: 5, column: undefined, rule: "shell-syntax" }]);
    // the source line comes with the Nix error, so the report can show it
    expect(result.findings.find((f) => f.rule === "nix-undefined-variable")?.source).toBe('    environment.etc."extra.conf".text = settings.greeting;');
    // nothing else: the clean module and script, and the path in a comment, raise nothing
    expect(result.findings.filter((f) => f.severity !== "info")).toHaveLength(3);
    expect(result.summary).toMatch(/^4 \.nix files parsed \(2 nix processes\), 2 scripts/);
  });

  it("still runs the other checks without nix-instantiate and shellcheck, and says the phase is incomplete", async () => {
    const dir = await copyFixture("static-broken");
    await gitInit(dir);
    const result = await runStaticPhase(dir, { findTool: async () => undefined });
    expect(result.status).toBe("incomplete");
    expect(result.reason).toContain("nix-instantiate is not installed");
    expect(result.findings.filter((f) => f.file?.endsWith(".nix") && f.severity === "error")).toEqual([]);
    // bash -n still ran, and the missing shellcheck is said, not silently skipped
    expect(result.findings.filter((f) => f.file === "deploy/broken.sh").map((f) => f.line)).toEqual([5]);
    expect(result.findings).toContainEqual(expect.objectContaining({ rule: "shellcheck-missing", severity: "info" }));
  });
});

describe("static phase: secrets fixture", async () => {
  const hasNix = await requireBinary("nix-instantiate");

  it.runIf(hasNix)("catches the secret literal, the path literal into secrets/ and the untracked secret file, each once", async () => {
    const dir = await copyFixture("secrets");
    // everything but the plaintext secret is added; it stays untracked and is not ignored
    await gitInit(dir, { add: ["flake.nix", "modules", "secrets/.gitkeep", "secrets/db.age"] });
    const result = await runStaticPhase(dir);
    const summary = result.findings.map((f) => [f.rule, f.file, f.line, f.severity]);
    expect(summary).toEqual([
      ["secret-literal", "modules/app.nix", 4, "error"],
      ["secret-literal", "modules/app.nix", 5, "error"],
      ["secret-path-literal", "modules/app.nix", 7, "error"],
      ["initial-password", "modules/app.nix", 12, "warning"],
      ["secret-file-not-ignored", "secrets/api-token", undefined, "error"],
    ]);
  });

  it.runIf(hasNix)("accepts the secret file once git ignores it", async () => {
    const dir = await copyFixture("secrets");
    await writeFile(join(dir, ".gitignore"), "/secrets/*\n!/secrets/.gitkeep\n!/secrets/*.age\n");
    await gitInit(dir);
    const result = await runStaticPhase(dir);
    expect(result.findings.filter((f) => f.file === "secrets/api-token")).toEqual([]);
  });

  it.runIf(hasNix)("flags a module that exists but git does not track", async () => {
    const dir = await copyFixture("secrets");
    await rm(join(dir, "secrets/api-token"));
    await writeFile(join(dir, "flake.nix"), '{ outputs = { self }: { nixosModules.app = import ./modules/app.nix; nixosModules.extra = import ./modules/extra.nix; }; }\n');
    await writeFile(join(dir, "modules/extra.nix"), "{ }\n");
    await gitInit(dir, { add: ["flake.nix", "modules/app.nix"] });
    const result = await runStaticPhase(dir);
    expect(result.findings.filter((f) => f.rule === "untracked-flake-file")).toEqual([
      expect.objectContaining({ file: "flake.nix", line: 1, severity: "error" }),
    ]);
  });
});
