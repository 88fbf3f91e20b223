/** Every example under examples/ (and the vps preset as rendered now) passes the manifest and static phases. */
import { existsSync, readdirSync } from "node:fs";
import { cp } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { offlineFlakeCheck, offlineInputOverrides, SURFACE_BRANCHES, type SurfaceBranch } from "@nixos-stack/templates/test-support/offline-inputs";
import { runCheck } from "./run-check.js";
import { EXAMPLES, gitInit, removeTempDirs, renderedVpsRepo, requireBinary, tempDir } from "./test-support/repos.js";

afterAll(removeTempDirs);

const examples = existsSync(EXAMPLES) ? readdirSync(EXAMPLES).filter((name) => existsSync(join(EXAMPLES, name, "nixos-stack.json"))) : [];
if (examples.length === 0) console.warn(`no examples under ${EXAMPLES} yet: only the rendered vps preset is checked`);

/** The example as a fresh git repo with every file added, as `npm create nixos-stack` leaves it. */
async function asGitRepo(source: string): Promise<string> {
  const dir = join(await tempDir(), "example");
  await cp(source, dir, { recursive: true });
  await gitInit(dir);
  return dir;
}

describe("examples pass the manifest and static phases", async () => {
  const hasNix = await requireBinary("nix-instantiate");

  const cases: Array<[string, () => Promise<string>]> = [
    ["the vps preset, rendered now", async () => asGitRepo(await renderedVpsRepo())],
    ...examples.map((name): [string, () => Promise<string>] => [`examples/${name}`, () => asGitRepo(join(EXAMPLES, name))]),
  ];

  it.runIf(hasNix).each(cases)("%s", async (_name, make) => {
    const result = await runCheck({ dir: await make(), phases: ["manifest", "static"] });
    expect(result.findings.filter((f) => f.severity !== "info")).toEqual([]);
    expect(result.phases.map((p) => [p.phase, p.status])).toEqual([
      ["manifest", "ran"],
      ["static", "ran"],
    ]);
    expect(result.exitCode).toBe(0);
  });
});

describe("examples pass all three phases with the inputs replaced by the offline stand-ins, on both branches", () => {
  // nixpkgs (the real lib and the option surface of a branch), disko and home-manager from
  // templates/test-fixtures/stub-inputs: the air-gapped --override-input path, and every host
  // type-checked against the NixOS options of the default stable branch and of nixos-unstable
  const offline = offlineFlakeCheck();
  const cases = examples.flatMap((name) => SURFACE_BRANCHES.map((branch): [string, SurfaceBranch] => [name, branch]));

  it.runIf(!offline.ok && Boolean(process.env.CI))("runs in CI: nix and the nixpkgs lib are there", () => {
    expect.fail(offline.ok ? "" : offline.reason);
  });

  it.runIf(offline.ok && cases.length > 0).each(cases)("examples/%s against the %s surface", async (name, branch) => {
    if (!offline.ok) throw new Error(offline.reason);
    const dir = await asGitRepo(join(EXAMPLES, name));
    const result = await runCheck({
      dir,
      runner: "local",
      // with the repo: its node-apps' source inputs are replaced by a stand-in app tree too
      overrideInputs: offlineInputOverrides(branch, offline.path, dir),
    });
    expect(result.findings.filter((f) => f.severity !== "info")).toEqual([]);
    expect(result.phases.map((p) => [p.phase, p.status])).toEqual([
      ["manifest", "ran"],
      ["static", "ran"],
      ["flake", "ran"],
    ]);
    expect(result.exitCode).toBe(0);
  });
});
