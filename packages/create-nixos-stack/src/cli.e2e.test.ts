/** End to end: the BUILT bin (dist/bundle/bin.cjs, run `pnpm build` first) in temp dirs, as a user runs it. */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, existsSync, openSync, readdirSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { execa } from "execa";
import { validateStack } from "@nixos-stack/core";
import { defaultAnswers } from "@nixos-stack/generators";
import { presetStack, renderStack } from "@nixos-stack/templates";
import { waitForSettledBundle } from "./test-support/settled-bundle.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const BIN = new URL("../dist/bundle/bin.cjs", import.meta.url).pathname;
const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u me@laptop";
const [nodeMajor = 0, nodeMinor = 0] = process.versions.node.split(".").map(Number);
const nodeHasOwnCompileCache = nodeMajor > 22 || (nodeMajor === 22 && nodeMinor >= 1);
const EXAMPLES_DIR = new URL("../../../examples/", import.meta.url).pathname;
const EXAMPLE = join(EXAMPLES_DIR, "vps");
const EXAMPLES = readdirSync(EXAMPLES_DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

let cwd: string;
let home: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), "create-nixos-stack-"));
  home = await mkdtemp(join(tmpdir(), "create-nixos-stack-home-"));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

/** Runs the bin with stdin closed (not a TTY), a clean HOME and no colours. */
const run = (args: string[], input = "") =>
  execa("node", [BIN, ...args], { cwd, input, reject: false, timeout: 30_000, env: { HOME: home, NO_COLOR: "1", GIT_CONFIG_GLOBAL: "/dev/null" } });

const sync = (dir: string, args: string[] = []) => execa("node", [BIN, "--sync", ...args], { cwd: dir, reject: false, env: { HOME: home, NO_COLOR: "1" } });

/** Every file (but .git) with its bytes: to prove that a refused run changed nothing. */
const snapshot = async (dir: string): Promise<Record<string, string>> =>
  Object.fromEntries(await Promise.all((await listing(dir)).map(async (f) => [f, await readFile(join(dir, f), "utf8")] as const)));

const listing = async (dir: string): Promise<string[]> => {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(relative(dir, join(e.parentPath, e.name)));
  return out.filter((p) => !p.startsWith(".git/")).sort();
};

describe("create-nixos-stack", () => {
  it.runIf(existsSync(BIN))("--yes writes the VPS repo, makes the first commit and prints the next steps", async () => {
    const r = await run(["my-infra", "--yes"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("./bootstrap.sh --host <server-ip> --system x86");
    const dir = join(cwd, "my-infra");
    expect(await listing(dir)).toEqual(expect.arrayContaining(["flake.nix", "hosts/vps-x86/default.nix", "modules/disk.nix", "bootstrap.sh", "update.sh", "nixos-stack.json", ".nixos-stack/lock.json"]));
    const log = await execa("git", ["log", "--oneline"], { cwd: dir });
    expect(log.stdout).toContain("Initial commit from nixos-stack");
    const untracked = await execa("git", ["status", "--porcelain"], { cwd: dir });
    expect(untracked.stdout).toBe(""); // flakes see only tracked files: everything is committed
    expect(JSON.parse(await readFile(join(dir, "nixos-stack.json"), "utf8")).name).toBe("my-infra");
    // no key in $HOME/.ssh: warned, and the manifest has none
    expect(r.stderr).toContain("admins[0].sshKeys is empty");
  });

  it("makes a repo of its own even inside another git repository (a flake is its nearest .git)", async () => {
    await execa("git", ["init", "-q"], { cwd });
    const r = await run(["nested", "--yes"]);
    expect(r.exitCode).toBe(0);
    const top = await execa("git", ["rev-parse", "--show-toplevel"], { cwd: join(cwd, "nested") });
    expect(top.stdout).toBe(join(cwd, "nested"));
    expect((await execa("git", ["ls-files"], { cwd: join(cwd, "nested") })).stdout).toContain("flake.nix");
  });

  it("--yes gives a fleet SSH on port 22 (what a fresh machine listens on) and a VPS 2222; --ssh-port wins in both", async () => {
    const ports = async (args: string[]) => {
      const dir = `repo-${args.join("-").replace(/[^a-z0-9]+/g, "")}`;
      expect((await run([dir, "--yes", "--no-git", "--ssh-key", KEY, ...args])).exitCode).toBe(0);
      return JSON.parse(await readFile(join(cwd, dir, "nixos-stack.json"), "utf8")).hosts.map((h: { deploy: { sshPort: number } }) => h.deploy.sshPort);
    };
    expect(await ports(["--preset", "fleet"])).toEqual([22, 22, 22]);
    expect(await ports(["--preset", "vps"])).toEqual([2222, 2222]);
    expect(await ports(["--preset", "fleet", "--ssh-port", "2200"])).toEqual([2200, 2200, 2200]);
  });

  it("uses the operator's own public key from ~/.ssh when there is one", async () => {
    await mkdir(join(home, ".ssh"));
    await writeFile(join(home, ".ssh/id_ed25519.pub"), `${KEY}\n`);
    const r = await run(["infra", "--yes", "--no-git"]);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(await readFile(join(cwd, "infra/nixos-stack.json"), "utf8")).admins[0].sshKeys).toEqual([KEY]);
    expect(existsSync(join(cwd, "infra/.git"))).toBe(false);
  });

  // the bin reads a --yes manifest that build.mjs validated when it built the bin (generators/src/stack/default-stacks.ts):
  // what it writes must be what the whole schema, run now on the sources, makes of the same answers
  it.runIf(existsSync(BIN)).each(["vps", "fleet"] as const)("--yes --preset %s writes what validating its answers whole gives, file for file", async (preset) => {
    await mkdir(join(home, ".ssh"));
    await writeFile(join(home, ".ssh/id_ed25519.pub"), `${KEY}\n`);
    expect((await run(["whole-way", "--yes", "--no-git", "--preset", preset])).exitCode).toBe(0);
    const dir = join(cwd, "whole-way");
    const validated = validateStack(presetStack(preset, defaultAnswers(dir, home)));
    if (!validated.ok) throw new Error(JSON.stringify(validated.errors));
    expect(validated.stack.admins[0]!.sshKeys).toEqual([KEY]);
    const tree = renderStack(validated.stack);
    expect(await listing(dir)).toEqual([...tree.keys(), ".nixos-stack/lock.json"].sort());
    for (const [path, file] of tree) expect(await readFile(join(dir, path), "utf8"), path).toBe(file.content);
  });

  it("without a TTY and without --yes it takes the defaults instead of hanging", async () => {
    const r = await run(["piped", "--no-git"], "some input nobody reads\n");
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(0);
    expect(existsSync(join(cwd, "piped/flake.nix"))).toBe(true);
  });

  // every example, so every kind's templates are loaded by the bundle (precompiled modules, one per
  // pack of templates rendered together, required on first use) and render exactly what the source templates render
  it.each(EXAMPLES)("--config with a whole manifest reproduces examples/%s byte for byte", async (name) => {
    const example = join(EXAMPLES_DIR, name);
    const r = await run([name, "--config", join(example, "nixos-stack.json"), "--no-git"]);
    expect(r.exitCode, r.stderr).toBe(0);
    const files = await listing(join(cwd, name));
    expect(files).toEqual(await listing(example));
    for (const f of files) expect(await readFile(join(cwd, name, f), "utf8"), f).toBe(await readFile(join(example, f), "utf8"));
  });

  it.runIf(existsSync(BIN))("a VPS scaffold loads only the templates it renders: not the fleet scripts, the containers module or the web-app module", async () => {
    // a preload that lists, at exit, every module file the run loaded
    await writeFile(join(home, "loaded.cjs"), `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(join(home, "loaded.json"))}, JSON.stringify(Object.keys(require.cache))));`);
    const r = await execa("node", ["-r", join(home, "loaded.cjs"), BIN, "my-infra", "--yes", "--no-git"], { cwd, reject: false, env: { HOME: home, NO_COLOR: "1" } });
    expect(r.exitCode, r.stderr).toBe(0);
    const bundle = dirname(BIN);
    const loaded = (JSON.parse(await readFile(join(home, "loaded.json"), "utf8")) as string[]).filter((f) => f.startsWith(`${bundle}/templates/`)).map((f) => relative(bundle, f)).sort();
    // none: the packs the default scaffold renders (templates/packs/template-packs.json: every-stack, a VPS
    // host's files, the gateway kind's) are part of cli.cjs, and have no module of their own (build.mjs: IN_CLI)
    expect(loaded).toEqual([]);
    for (const pack of ["every-stack", "vps-host", "gateway"]) expect(existsSync(join(bundle, `templates/packs/${pack}.cjs`)), pack).toBe(false);
    const fleetPack = await readFile(join(bundle, "templates/packs/fleet.cjs"), "utf8");
    expect(fleetPack).toContain("FLEET_NIX_FLAGS"); // templates/files/deploy/fleet-lib.sh.hbs is in the pack the VPS did not load
    // and the entry the run compiles carries no template but the default scaffold's: the rest live in their own modules
    const cli = await readFile(join(bundle, "cli.cjs"), "utf8");
    expect(cli).toContain("NIXOS_STACK_DEV names one"); // templates/files/tools/stack.sh.hbs, in the every-stack pack
    expect(cli).toContain("# First install of a server with nixos-anywhere"); // templates/files/deploy/bootstrap.sh.hbs, in the vps-host pack
    expect(cli).toContain("# Gateway services: a process bound to 127.0.0.1"); // templates/files/modules/services/gateway.nix.hbs, in the gateway pack
    expect(cli).not.toContain("FLEET_NIX_FLAGS"); // templates/files/deploy/fleet-lib.sh.hbs
    expect(cli).not.toContain("privateNetwork: a veth pair"); // templates/files/modules/services/containers.nix.hbs
  });

  it.runIf(existsSync(BIN))("a fleet scaffold requires its own pack, which the default scaffold's entry does not carry", async () => {
    await writeFile(join(home, "loaded.cjs"), `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(join(home, "loaded.json"))}, JSON.stringify(Object.keys(require.cache))));`);
    const r = await execa("node", ["-r", join(home, "loaded.cjs"), BIN, "lan", "--preset", "fleet", "--yes", "--no-git"], { cwd, reject: false, env: { HOME: home, NO_COLOR: "1" } });
    expect(r.exitCode, r.stderr).toBe(0);
    const bundle = dirname(BIN);
    const loaded = (JSON.parse(await readFile(join(home, "loaded.json"), "utf8")) as string[]).filter((f) => f.startsWith(`${bundle}/templates/`)).map((f) => relative(bundle, f)).sort();
    expect(loaded).toEqual(["templates/packs/fleet.cjs"]);
    expect(await readFile(join(cwd, "lan/deploy/fleet-lib.sh"), "utf8")).toContain("FLEET_NIX_FLAGS");
  });

  it.runIf(existsSync(BIN))("a --yes scaffold loads none of the Node modules it does not call (README, Speed)", async () => {
    await writeFile(join(home, "builtins.cjs"), `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(join(home, "builtins.json"))}, JSON.stringify(process.moduleLoadList)));`);
    // output to files, as `pnpm bench` runs it: a pipe or a terminal on stdout is a socket, which loads node:net itself
    // (file descriptors of our own: execa's `{ file }` output still goes through a pipe)
    // a code cache of this test's own, written by a first run, as a user's second scaffold finds it
    expect(await waitForSettledBundle(BIN)).toBe(true);
    // no NO_COLOR and no CI: nothing may answer "colours?" without asking what stdout is (picocolors did, making process.stdout)
    const { NO_COLOR: _n, CI: _c, FORCE_COLOR: _f, ...inherited } = process.env;
    const env = { ...inherited, HOME: home, TMPDIR: home };
    expect(spawnSync("node", [BIN, "first", "--yes", "--no-git"], { cwd, stdio: "ignore", env }).status).toBe(0);
    const [out, err] = [openSync(join(home, "out.txt"), "w"), openSync(join(home, "err.txt"), "w")];
    try {
      const r = spawnSync("node", ["-r", join(home, "builtins.cjs"), BIN, "my-infra", "--yes", "--no-git"], { cwd, stdio: ["ignore", out, err], env });
      expect(r.status, await readFile(join(home, "err.txt"), "utf8")).toBe(0);
    } finally {
      closeSync(out);
      closeSync(err);
    }
    const builtins = JSON.parse(await readFile(join(home, "builtins.json"), "utf8")) as string[];
    expect(builtins).toContain("NativeModule fs"); // the hook did record
    // node:crypto (the lock hashes with xxh64 in WebAssembly, and the code cache's entries of a settled bundle need no hashing: the run before wrote them), node:net (a deploy address is checked only when there is one), fs/promises and process.stdin's
    // file streams and readline (not read with --yes), node:module and the ES-module loader (Node 20: the bin's code cache takes module.constructor)
    // process.stdout is never made (cli/direct-output.ts): for a file it would be a SyncWriteStream
    const unused = ["NativeModule internal/fs/sync_write_stream", "NativeModule tty", "NativeModule crypto", "NativeModule net", "NativeModule fs/promises", "NativeModule internal/fs/streams", "NativeModule internal/readline/interface"];
    // on Node ≥ 22.1 the bin turns on Node's own compile cache, which is node:module's
    if (!nodeHasOwnCompileCache) unused.push("NativeModule module", "NativeModule internal/modules/esm/loader");
    for (const name of unused) expect(builtins, name).not.toContain(name);
  });

  it("--config with partial answers, flags winning over the file", async () => {
    await writeFile(join(cwd, "answers.json"), JSON.stringify({ name: "from-file", admin: "ops", sshPort: 2200, sshKeys: [KEY] }));
    const r = await run(["x", "--config", "answers.json", "--admin", "alice", "--no-git", "--no-gateway"]);
    expect(r.exitCode).toBe(0);
    const m = JSON.parse(await readFile(join(cwd, "x/nixos-stack.json"), "utf8"));
    expect(m.name).toBe("from-file");
    expect(m.admins[0].name).toBe("alice");
    expect(m.hosts[0].deploy.sshPort).toBe(2200);
    expect(m.hosts[0].services).toEqual([]);
  });

  it("--dry-run prints the plan and writes nothing", async () => {
    const r = await run(["dry", "--yes", "--dry-run"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/create\s+flake\.nix/);
    expect(r.stdout).toContain("Nothing was written.");
    expect(await readdir(cwd)).toEqual([]);
  });

  it("--help lists every flag; --version prints the version", async () => {
    const help = await run(["--help"]);
    expect(help.exitCode).toBe(0);
    for (const flag of ["--preset", "--yes", "--config", "--dry-run", "--force", "--no-git", "--ssh-key", "--ssh-port", "--sync", "--version"]) expect(help.stdout).toContain(flag);
    const version = await run(["--version"]);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it.each([
    [["bad", "--ssh-port", "70000", "--yes"], 2, `"70000" is not a port (1–65535)`],
    [["bad", "--frobnicate"], 2, "unknown option '--frobnicate'"],
    [["bad", "--yes", "--admin", "Root"], 1, `admins[0].name: "Root" — use lowercase letters`],
    [["bad", "--yes", "--admin", "Root"], 1, "(set by --admin)"],
    [["bad", "--yes", "--preset", "mainframe"], 1, `--preset: "mainframe" is not a preset`],
    [["bad", "--yes", "--ssh-key", "/nonexistent/key.pub"], 1, "--ssh-key /nonexistent/key.pub: neither a public key line nor an existing file"],
    [["bad", "--config", "missing.json"], 1, "--config missing.json: cannot read it (ENOENT)"],
    // an unset shell variable ("$DIR") must not mean "here"
    [["", "--yes"], 2, `the directory argument is empty; give a directory, or "." for the current one`],
    // a flag whose value was forgotten swallows the next flag: a usage error naming the flag
    [["bad", "--name", "--yes"], 2, `option '--name <name>' argument '--yes' is invalid. The flag needs a value right after it`],
    [["bad", "--ssh-key", "-y"], 2, `option '--ssh-key <path|key>' argument '-y' is invalid`],
  ])("bad input %j: exit %i, a message naming the field, nothing written", async (args, code, message) => {
    const r = await run(args as string[]);
    expect(r.exitCode).toBe(code);
    expect(r.stderr).toContain(message);
    expect(await readdir(cwd)).toEqual([]);
  });

  it("a bad manifest in --config names each field and writes nothing", async () => {
    const manifest = JSON.parse(await readFile(join(EXAMPLE, "nixos-stack.json"), "utf8"));
    manifest.hosts[0].name = "Web_1";
    manifest.hosts[1].deploy.sshPort = 0;
    await writeFile(join(cwd, "bad.json"), JSON.stringify(manifest));
    const r = await run(["out", "--config", "bad.json"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`hosts[0].name: "Web_1" — use lowercase letters`);
    expect(r.stderr).toContain("hosts[1].deploy.sshPort: 0 — is not a port (1–65535)");
    expect(await readdir(cwd)).toEqual(["bad.json"]);
  });

  it("refuses a non-empty directory without --force, and writes into it with --force", async () => {
    await mkdir(join(cwd, "taken"));
    await writeFile(join(cwd, "taken/notes.txt"), "mine\n");
    const refused = await run(["taken", "--yes"]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain("is not empty");
    expect(await readdir(join(cwd, "taken"))).toEqual(["notes.txt"]);
    const forced = await run(["taken", "--yes", "--force", "--no-git"]);
    expect(forced.exitCode).toBe(0);
    expect(await readFile(join(cwd, "taken/notes.txt"), "utf8")).toBe("mine\n");
    expect(existsSync(join(cwd, "taken/flake.nix"))).toBe(true);
  });

  it("a target that is a regular file is called a file, even with --force, and is left alone", async () => {
    await writeFile(join(cwd, "notes"), "mine\n");
    for (const extra of [[], ["--force"]]) {
      const r = await run(["notes", "--yes", "--no-git", ...extra]);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(`${join(cwd, "notes")} is a file: choose a directory`);
      expect(r.stderr).not.toContain("not empty");
    }
    expect(await readFile(join(cwd, "notes"), "utf8")).toBe("mine\n");
  });

  it("a directory holding only an empty git repository (`git init`) is a fresh target: that repository gets the first commit", async () => {
    const dir = join(cwd, "repo");
    await execa("git", ["init", "-q", dir]);
    await execa("git", ["config", "nixos-stack.test", "kept"], { cwd: dir });
    const r = await run(["repo", "--yes"]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect((await execa("git", ["config", "nixos-stack.test"], { cwd: dir })).stdout).toBe("kept"); // the user's .git, not a new one
    expect((await execa("git", ["log", "--format=%s"], { cwd: dir, env: { GIT_CONFIG_GLOBAL: "/dev/null" } })).stdout).toBe("Initial commit from nixos-stack");
    expect((await execa("git", ["status", "--porcelain"], { cwd: dir })).stdout).toBe("");
  });

  it("a git repository with commits is refused with words to that effect, untouched", async () => {
    const dir = join(cwd, "repo");
    await execa("git", ["init", "-q", dir]);
    await execa("git", ["-c", "user.name=t", "-c", "user.email=t@localhost", "commit", "-q", "--allow-empty", "-m", "theirs"], { cwd: dir });
    const r = await run(["repo", "--yes"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`${dir} is a git repository with commits: choose a new directory, or --force`);
    expect(await readdir(dir)).toEqual([".git"]);
  });

  it("a --config file that starts with a UTF-8 byte order mark is read like any other", async () => {
    await writeFile(join(cwd, "answers.json"), `\uFEFF${JSON.stringify({ name: "from-bom" })}`);
    const r = await run(["x", "--config", "answers.json", "--yes", "--no-git"]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(await readFile(join(cwd, "x/nixos-stack.json"), "utf8")).name).toBe("from-bom");
  });

  it("an admin name that clashes with the gateway service's user says it was set by --admin", async () => {
    const r = await run(["bad", "--yes", "--admin", "gateway"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/services\[0\]\.user: "gateway" — .*\(set by --admin\)/);
    expect(await readdir(cwd)).toEqual([]);
  });

  it("--sync re-renders from the manifest, keeps the user's files and reports hand edits", async () => {
    expect((await run(["repo", "--yes", "--no-git", "--ssh-key", KEY])).exitCode).toBe(0);
    const dir = join(cwd, "repo");
    // the manifest is edited the way people do: reformatted, no trailing newline
    const manifest = JSON.parse(await readFile(join(dir, "nixos-stack.json"), "utf8"));
    manifest.hosts[0].deploy.sshPort = 2200;
    await writeFile(join(dir, "nixos-stack.json"), JSON.stringify(manifest));
    await writeFile(join(dir, "hosts/vps-x86/configuration.nix"), "{ ... }: { services.nginx.enable = true; }\n");
    await writeFile(join(dir, "modules/security.nix"), "# my hand edit\n{ }\n");

    const before = await snapshot(dir);
    const r = await sync(dir);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/update\s+hosts\/vps-x86\/default\.nix/);
    expect(r.stderr).toContain("generated files edited by hand: modules/security.nix; nothing was written.\n");
    // a sync that reports a conflict writes nothing: not the other generated files, not the lock
    expect(await snapshot(dir)).toEqual(before);
    expect(await readFile(join(dir, "hosts/vps-x86/default.nix"), "utf8")).not.toMatch(/sshPort = 2200;/);

    // --force replaces the hand-edited generated file, never the user's own files
    const forced = await sync(dir, ["--force"]);
    expect(forced.exitCode).toBe(0);
    expect(await readFile(join(dir, "hosts/vps-x86/default.nix"), "utf8")).toMatch(/sshPort = 2200;/);
    expect(await readFile(join(dir, "nixos-stack.json"), "utf8")).toBe(JSON.stringify(manifest)); // the user's manifest, untouched
    expect(await readFile(join(dir, "modules/security.nix"), "utf8")).toContain("PasswordAuthentication = false;");
    expect(await readFile(join(dir, "hosts/vps-x86/configuration.nix"), "utf8")).toContain("nginx");
    expect((await sync(dir)).exitCode).toBe(0);
  });

  it("--sync under `node --jitless` (no WebAssembly) reads the lock a normal run wrote: untouched files are updated, a hand edit is still one", async () => {
    expect((await run(["repo", "--yes", "--no-git", "--ssh-key", KEY])).exitCode).toBe(0);
    const dir = join(cwd, "repo");
    const setSshPort = async (port: number) => {
      const manifest = JSON.parse(await readFile(join(dir, "nixos-stack.json"), "utf8"));
      manifest.hosts[0].deploy.sshPort = port;
      await writeFile(join(dir, "nixos-stack.json"), JSON.stringify(manifest));
    };
    await setSshPort(2200);
    const jitless = (args: string[] = []) => execa("node", ["--jitless", BIN, "--sync", ...args], { cwd: dir, reject: false, env: { HOME: home, NO_COLOR: "1" } });
    const r = await jitless();
    expect(r.stderr).not.toContain("edited by hand");
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/update\s+hosts\/vps-x86\/default\.nix/);
    // and what it recorded, a normal run reads back: the same sync again changes nothing
    const lock = await readFile(join(dir, ".nixos-stack/lock.json"), "utf8");
    expect(lock).toMatch(/"hosts\/vps-x86\/default\.nix": "xxh64-[0-9a-f]{16}"/);
    expect((await sync(dir)).stdout).not.toMatch(/^\s*update\s/m);
    await writeFile(join(dir, "modules/security.nix"), "# my hand edit\n{ }\n");
    await setSshPort(2201);
    const edited = await jitless();
    expect(edited.exitCode).toBe(1);
    expect(edited.stderr).toContain("generated files edited by hand: modules/security.nix; nothing was written.");
    expect(await readFile(join(dir, ".nixos-stack/lock.json"), "utf8")).toBe(lock);
  });

  it("--sync after removing a host deletes its generated files and keeps its configuration.nix", async () => {
    expect((await run(["repo", "--yes", "--no-git", "--ssh-key", KEY])).exitCode).toBe(0);
    const dir = join(cwd, "repo");
    const manifest = JSON.parse(await readFile(join(dir, "nixos-stack.json"), "utf8"));
    manifest.hosts = manifest.hosts.filter((h: { name: string }) => h.name !== "vps-arm");
    await writeFile(join(dir, "nixos-stack.json"), JSON.stringify(manifest, null, 2));
    const r = await sync(dir);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/delete\s+hosts\/vps-arm\/default\.nix/);
    expect(existsSync(join(dir, "hosts/vps-arm/default.nix"))).toBe(false);
    expect(existsSync(join(dir, "hosts/vps-arm/configuration.nix"))).toBe(true);
    expect(await readFile(join(dir, "flake.nix"), "utf8")).not.toContain("vps-arm");
  });

  it("--sync on a fleet repo from before fleets lost the VPS scripts: deletes an untouched bootstrap.sh, keeps an edited update.sh and says so", async () => {
    expect((await run(["repo", "--preset", "fleet", "--yes", "--no-git", "--ssh-key", KEY])).exitCode).toBe(0);
    const dir = join(cwd, "repo");
    // an older nixos-stack wrote the VPS preset's scripts into fleet repos, and tracked them in the lock
    const lockPath = join(dir, ".nixos-stack/lock.json");
    const lock = JSON.parse(await readFile(lockPath, "utf8"));
    for (const script of ["bootstrap.sh", "update.sh"]) {
      const content = await readFile(join(EXAMPLE, script), "utf8");
      await writeFile(join(dir, script), content, { mode: 0o755 });
      lock.managed[script] = `sha256-${createHash("sha256").update(content).digest("base64")}`;
    }
    await writeFile(lockPath, JSON.stringify(lock, null, 2));
    await writeFile(join(dir, "update.sh"), "# my own tweak\n", { flag: "a" });

    const r = await sync(dir);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/delete\s+bootstrap\.sh/);
    expect(r.stdout).toMatch(/KEEP \(edited, no longer generated\)\s+update\.sh/);
    expect(existsSync(join(dir, "bootstrap.sh"))).toBe(false);
    expect(await readFile(join(dir, "update.sh"), "utf8")).toContain("# my own tweak");
    // the kept file stays in the lock, so later syncs (and `check`) keep naming it until it is removed
    const again = await sync(dir);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).not.toContain("bootstrap.sh");
    expect(again.stdout).toMatch(/KEEP \(edited, no longer generated\)\s+update\.sh/);
  });

  it("--sync after switching the secrets backend rewrites the backend's files and says how to move each secret", async () => {
    expect((await run(["repo", "--yes", "--no-git", "--ssh-key", KEY])).exitCode).toBe(0);
    const dir = join(cwd, "repo");
    const switchTo = async (backend: string) => {
      const manifest = JSON.parse(await readFile(join(dir, "nixos-stack.json"), "utf8"));
      manifest.secrets.backend = backend;
      await writeFile(join(dir, "nixos-stack.json"), JSON.stringify(manifest, null, 2));
      return sync(dir);
    };
    const toAgenix = await switchTo("agenix");
    expect(toAgenix.exitCode).toBe(0);
    expect(existsSync(join(dir, "secrets/secrets.nix"))).toBe(true);
    expect(toAgenix.stdout).toContain("The secrets backend changed from env-file to agenix");
    expect(toAgenix.stdout).toContain("gateway: copy its KEY=value lines from the env file on the server");
    expect(toAgenix.stdout).toContain("`cd secrets && agenix -e gateway.age`");
    expect(toAgenix.stdout).toContain("add `!/secrets/*.age`");

    const toSops = await switchTo("sops");
    expect(toSops.exitCode).toBe(0);
    expect(existsSync(join(dir, ".sops.yaml"))).toBe(true);
    expect(existsSync(join(dir, "secrets/secrets.nix"))).toBe(false);
    expect(toSops.stdout).toContain("The secrets backend changed from agenix to sops");
    expect(toSops.stdout).toContain("gateway: copy its KEY=value lines from `cd secrets && agenix -d gateway.age` into `sops secrets/gateway.env`");
    expect(toSops.stdout).toContain("`git rm secrets/gateway.age`");

    const again = await sync(dir);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).not.toContain("secrets backend changed");
  });

  it("--sync refuses answer flags and --config, which it would otherwise ignore", async () => {
    expect((await run(["repo", "--yes", "--no-git", "--ssh-key", KEY])).exitCode).toBe(0);
    const r = await sync(join(cwd, "repo"), ["--admin", "bob", "--ssh-port", "22"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("--sync re-renders from nixos-stack.json, so --admin, --ssh-port would be ignored");
  });

  it("answers in --config are type-checked, and errors name the file, not a flag", async () => {
    await writeFile(join(cwd, "answers.json"), JSON.stringify({ gateway: "no", sshPort: "2200" }));
    const r = await run(["x", "--config", "answers.json"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`gateway: "no" — must be a boolean`);
    expect(r.stderr).toContain(`sshPort: "2200" — must be a number`);
    expect(await readdir(cwd)).toEqual(["answers.json"]);
    await writeFile(join(cwd, "answers.json"), JSON.stringify({ admin: "Root" }));
    const bad = await run(["x", "--config", "answers.json"]);
    expect(bad.stderr).toContain(`admins[0].name: "Root" — use lowercase letters`);
    expect(bad.stderr).toContain(`(set by "admin" in answers.json)`);
  });

  it("a file system refusal is one clear line, not a stack trace, and nothing is left behind", async () => {
    await writeFile(join(cwd, "plain-file"), "not a directory\n");
    const r = await run([join(cwd, "plain-file", "repo"), "--yes", "--no-git"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^✖ cannot \w+ .*\(ENOTDIR\); nothing was changed/);
    expect(r.stderr).not.toContain("    at ");
    expect(await readdir(cwd)).toEqual(["plain-file"]);
  });

  it("a refused first commit leaves the files written and says how to finish", async () => {
    const r = await execa("node", [BIN, "signed", "--yes"], {
      cwd,
      reject: false,
      env: { HOME: home, NO_COLOR: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_COUNT: "2", GIT_CONFIG_KEY_0: "commit.gpgsign", GIT_CONFIG_VALUE_0: "true", GIT_CONFIG_KEY_1: "gpg.program", GIT_CONFIG_VALUE_1: "/bin/false" },
    });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain("git: the first commit failed");
    expect(r.stdout).toContain("Next:");
    expect(existsSync(join(cwd, "signed/flake.nix"))).toBe(true);
  });
});
