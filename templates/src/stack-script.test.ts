/**
 * Behaviour tests for the generated stack.sh, the one entry point for `sync` and `check`:
 *
 * 1. From a clone of the monorepo (NIXOS_STACK_DEV): the clone's built bins, run for real on a
 *    repo the built create bin wrote (this worktree is the clone; run `pnpm build` first).
 * 2. Published: the versions package.json pins, from node_modules/.bin, installed by npm the first
 *    time; here npm and the bins are recording stand-ins. (The real npm install from a registry
 *    is in packages/create-nixos-stack/src/publish.slow.test.ts.)
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BASE_TOOLS, Scratch, Stubs, TEST_KEY, runScript, toolDir, vpsInput, whichReal, writeRepo } from "./test-support/deploy-repo.js";

const CLONE = fileURLToPath(new URL("../../", import.meta.url));
const CREATE_BIN = join(CLONE, "packages/create-nixos-stack/dist/bundle/bin.cjs");
const CHECK_BIN = join(CLONE, "packages/check/dist/bin.js");
const built = existsSync(CREATE_BIN) && existsSync(CHECK_BIN);

let scratch: Scratch;
/** bash and the few commands stack.sh uses, plus node; never npm or git unless a test adds them. */
let sys: string;
let home: string;
let stubCount = 0;

beforeAll(() => {
  if (!built) console.warn("stack.sh tests from a clone skipped: run pnpm build first");
  scratch = new Scratch();
  sys = toolDir(scratch.dir("sys"), [...BASE_TOOLS, "node"]);
  home = scratch.dir("home");
});

afterAll(() => scratch?.cleanup());

function stackSh(repo: string, args: string[], opts: { path: string[]; env?: Record<string, string>; cwd?: string }) {
  return runScript(join(repo, "stack.sh"), args, { path: opts.path, cwd: opts.cwd ?? repo, env: { HOME: home, NO_COLOR: "1", ...opts.env } });
}

describe("from a clone of the nixos-stack monorepo (NIXOS_STACK_DEV)", () => {
  let repo: string;
  /** A recording npm: it must never run on this path. */
  let npm: Stubs;

  beforeAll(async () => {
    if (!built) return;
    const parent = scratch.dir("dev");
    const r = await execa("node", [CREATE_BIN, "infra", "--yes", "--no-git", "--ssh-key", TEST_KEY], { cwd: parent, env: { HOME: home, NO_COLOR: "1" }, reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    repo = join(parent, "infra");
    npm = new Stubs(join(scratch.root, "dev-npm"), ["npm"]);
  });

  test.runIf(built)("sync runs the clone's create bin on this repo, from any directory; npm is never run", async () => {
    const manifestPath = join(repo, "nixos-stack.json");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    manifest.hosts[0].deploy.sshPort = 2200;
    writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);

    const r = await stackSh(repo, ["sync"], { path: [npm.bin, sys], cwd: scratch.root, env: { NIXOS_STACK_DEV: CLONE } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain(`sync ${repo}`);
    expect(readFileSync(join(repo, "hosts/vps-x86/default.nix"), "utf8")).toMatch(/sshPort = 2200;/);
    expect(npm.calls()).toEqual([]);
    expect(existsSync(join(repo, "node_modules"))).toBe(false);
  });

  test.runIf(built)("check runs the clone's check bin on this repo with the options given, and reports what it finds", async () => {
    const ok = await stackSh(repo, ["check", "--phase", "manifest"], { path: [npm.bin, sys], env: { NIXOS_STACK_DEV: CLONE } });
    expect(ok.exitCode, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/manifest/);

    const flake = join(repo, "flake.nix");
    const before = readFileSync(flake, "utf8");
    writeFileSync(flake, `${before}# a hand edit\n`);
    try {
      const edited = await stackSh(repo, ["check", "--phase", "manifest", "--json"], { path: [npm.bin, sys], env: { NIXOS_STACK_DEV: CLONE } });
      expect(edited.exitCode).toBe(1);
      expect(JSON.parse(edited.stdout).findings).toEqual(expect.arrayContaining([expect.objectContaining({ file: "flake.nix", rule: "managed-hand-edit" })]));
    } finally {
      writeFileSync(flake, before);
    }
    expect(npm.calls()).toEqual([]);
  });

  test.runIf(built)("a relative NIXOS_STACK_DEV is relative to where stack.sh was started", async () => {
    const r = await stackSh(repo, ["check", "--version"], { path: [sys], cwd: join(CLONE, "packages"), env: { NIXOS_STACK_DEV: ".." } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(CLONE, "packages/check/package.json"), "utf8")).version);
  });

  test("NIXOS_STACK_DEV that is not a clone, or a clone not built: exit 2 saying what to do", async () => {
    const repo2 = writeRepo(scratch.dir("dev-errors"), vpsInput());
    const notClone = scratch.dir("not-a-clone");
    const r = await stackSh(repo2, ["sync"], { path: [sys], env: { NIXOS_STACK_DEV: notClone } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`NIXOS_STACK_DEV=${notClone}: not a clone of the nixos-stack monorepo`);

    const unbuilt = scratch.dir("unbuilt-clone");
    writeFileSync(join(unbuilt, "pnpm-workspace.yaml"), "packages:\n  - packages/*\n");
    const r2 = await stackSh(repo2, ["check"], { path: [sys], env: { NIXOS_STACK_DEV: unbuilt } });
    expect(r2.exitCode).toBe(2);
    expect(r2.stderr).toContain("packages/check/dist/bin.js is not built: run pnpm install && pnpm build in");
  });
});

describe("published: the versions package.json pins, installed by npm the first time", () => {
  /** Stand-ins for the two bins, and an npm that "installs" them as node_modules/.bin links. */
  function publishedTools(): { tools: Stubs; npmBin: string } {
    const tools = new Stubs(join(scratch.root, `tools-${++stubCount}`), ["create-nixos-stack", "nixos-stack-check"]);
    const npmBin = scratch.dir(`npm-${stubCount}`);
    const [mkdir, ln] = [whichReal("mkdir"), whichReal("ln")];
    writeFileSync(
      join(npmBin, "npm"),
      [
        `#!${whichReal("bash")}`,
        `printf '%s\\0' npm "$PWD" "$#" "$@" >>${JSON.stringify(tools.log)}`,
        `${mkdir} -p node_modules/.bin`,
        `${ln} -sf ${JSON.stringify(join(tools.bin, "create-nixos-stack"))} ${JSON.stringify(join(tools.bin, "nixos-stack-check"))} node_modules/.bin/`,
        "",
      ].join("\n"),
    );
    chmodSync(join(npmBin, "npm"), 0o755);
    return { tools, npmBin };
  }

  test("the first run installs the tools (a dry run writes no package-lock.json), later runs reuse them", async () => {
    const repo = writeRepo(scratch.dir("published-first"), vpsInput());
    const { tools, npmBin } = publishedTools();
    const first = await stackSh(repo, ["sync", "--dry-run"], { path: [npmBin, sys] });
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stderr).toContain("stack.sh: installing the nixos-stack tools package.json pins: npm install --no-audit --no-fund --no-package-lock");
    expect(tools.calls()).toEqual([
      { cmd: "npm", cwd: repo, args: ["install", "--no-audit", "--no-fund", "--no-package-lock"] },
      { cmd: "create-nixos-stack", cwd: repo, args: ["--sync", ".", "--dry-run"] },
    ]);

    tools.reset();
    const second = await stackSh(repo, ["check", "--phase", "static"], { path: [npmBin, sys], cwd: scratch.root });
    expect(second.exitCode, second.stderr).toBe(0);
    expect(tools.calls()).toEqual([{ cmd: "nixos-stack-check", cwd: repo, args: [".", "--phase", "static"] }]);
  });

  test("with a package-lock.json: npm ci, the exact versions it records", async () => {
    const repo = writeRepo(scratch.dir("published-lock"), vpsInput());
    writeFileSync(join(repo, "package-lock.json"), "{}\n");
    const { tools, npmBin } = publishedTools();
    const r = await stackSh(repo, ["sync"], { path: [npmBin, sys] });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(tools.calls().map((c) => [c.cmd, ...c.args])).toEqual([
      ["npm", "ci", "--no-audit", "--no-fund"],
      ["create-nixos-stack", "--sync", "."],
    ]);
  });

  test("the tool's exit code is stack.sh's (a check with findings fails the script)", async () => {
    const repo = writeRepo(scratch.dir("published-exit"), vpsInput());
    const { npmBin } = publishedTools();
    const r = await stackSh(repo, ["check"], { path: [npmBin, sys], env: { STUB_EXIT_nixos_stack_check: "1" } });
    expect(r.exitCode).toBe(1);
  });

  test("git would commit node_modules (an older .gitignore): says to ignore it", async () => {
    const repo = writeRepo(scratch.dir("published-gitignore"), vpsInput());
    const git = toolDir(scratch.dir("git-tool"), ["git"]);
    await execa("git", ["init", "-q"], { cwd: repo });
    const withIgnore = await stackSh(repo, ["check"], { path: [publishedTools().npmBin, git, sys] });
    expect(withIgnore.exitCode, withIgnore.stderr).toBe(0);
    expect(withIgnore.stderr).not.toContain(".gitignore");

    const fresh = writeRepo(scratch.dir("published-gitignore-2"), vpsInput());
    writeFileSync(join(fresh, ".gitignore"), "result\n");
    await execa("git", ["init", "-q"], { cwd: fresh });
    const without = await stackSh(fresh, ["check"], { path: [publishedTools().npmBin, git, sys] });
    expect(without.exitCode, without.stderr).toBe(0);
    expect(without.stderr).toContain("stack.sh: add node_modules/ to .gitignore");
  });

  test("no npm and nothing installed: exit 2 naming both ways to get the tools", async () => {
    const repo = writeRepo(scratch.dir("published-no-npm"), vpsInput());
    const r = await stackSh(repo, ["sync"], { path: [sys] });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("error: npm not found");
    expect(r.stderr).toContain("NIXOS_STACK_DEV");
  });

  test("no node: exit 2 saying which Node.js the tools need", async () => {
    const repo = writeRepo(scratch.dir("published-no-node"), vpsInput());
    const r = await stackSh(repo, ["sync"], { path: [toolDir(scratch.dir("sys-no-node"), BASE_TOOLS)] });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("node not found: the nixos-stack tools need Node.js 20.19 or later");
  });
});

describe("usage", () => {
  test("--help: exit 0, both commands and both ways of running them", async () => {
    const repo = writeRepo(scratch.dir("usage"), vpsInput());
    const r = await stackSh(repo, ["--help"], { path: [sys] });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^Usage: \.\/stack\.sh sync/);
    expect(r.stdout).toContain("./stack.sh check");
    expect(r.stdout).toContain("NIXOS_STACK_DEV=");
  });

  test.each([
    [[], /a command is required: sync or check/],
    [["deploy"], /unknown command: deploy \(use sync or check\)/],
  ])("%j: exit 2 with the usage", async (args, message) => {
    const repo = writeRepo(scratch.dir(`usage-${args.length}`), vpsInput());
    const r = await stackSh(repo, args, { path: [sys] });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain("Usage: ./stack.sh sync");
  });
});
