/** Every example under examples/ (and the vps preset as rendered now) passes the manifest and static phases. */
import { existsSync, readdirSync } from "node:fs";
import { cp } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
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

describe("examples pass all three phases with the inputs overridden by local copies (the air-gapped path)", async () => {
  const hasNix = await requireBinary("nix");
  // offline stand-ins for nixpkgs, disko and home-manager (see templates/test-fixtures/stub-inputs)
  const stubs = new URL("../../../templates/test-fixtures/stub-inputs/", import.meta.url).pathname;
  it.runIf(hasNix && examples.length > 0).each(examples)("examples/%s", async (name) => {
    const result = await runCheck({
      dir: await asGitRepo(join(EXAMPLES, name)),
      runner: "local",
      overrideInputs: ["nixpkgs", "disko", "home-manager"].map((input) => ({ name: input, path: join(stubs, input) })),
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
