/**
 * scripts/seed-nix-inputs.sh, run for real: a tiny git repo stands for an upstream input, pinned
 * in a pins file of the test's own (NIXOS_STACK_PINS), and the script adds it to the real store
 * only when its NAR hash is the pin's.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const SCRIPT = fileURLToPath(new URL("./seed-nix-inputs.sh", import.meta.url));
const hasNix = spawnSync("nix-store", ["--version"]).status === 0 && spawnSync("nix-hash", ["--version"]).status === 0;
const dir = mkdtempSync(join(tmpdir(), "nixos-stack-seed-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const git = (cwd: string, ...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd, encoding: "utf8" }).trim();

function seed(pins: string, ...args: string[]) {
  const r = spawnSync(SCRIPT, args, { encoding: "utf8", env: { ...process.env, NIXOS_STACK_PINS: pins } });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe.skipIf(!hasNix)("seed-nix-inputs.sh", () => {
  const repo = join(dir, "upstream");
  let commit = "";
  let hash = "";
  let storePath = "";
  let otherHash = "";

  beforeAll(() => {
    mkdirSync(repo);
    git(repo, "init", "-q");
    // a content unique to this run, so the store path is new and the script must add it
    writeFileSync(join(repo, "flake.nix"), `{ outputs = _: { seeded = "${dir}"; }; }\n`);
    git(repo, "add", ".");
    git(repo, "commit", "-qm", "pinned");
    commit = git(repo, "rev-parse", "HEAD");
    writeFileSync(join(repo, "flake.nix"), `{ outputs = _: { later = "${dir}"; }; }\n`);
    git(repo, "commit", "-qam", "a later commit, checked out");
    // the pinned tree's hash, computed the way a reviewer would: git archive, then nix-hash
    const expected = join(dir, "expected", "source");
    mkdirSync(expected, { recursive: true });
    execFileSync("bash", ["-c", `git -C "${repo}" archive ${commit} | tar -x -C "${expected}"`]);
    hash = execFileSync("nix-hash", ["--type", "sha256", "--base32", expected], { encoding: "utf8" }).trim();
    storePath = execFileSync("nix-store", ["--print-fixed-path", "--recursive", "sha256", hash, "source"], { encoding: "utf8" }).trim();
    writeFileSync(join(dir, "other"), "x");
    otherHash = execFileSync("nix-hash", ["--type", "sha256", "--base32", "--flat", join(dir, "other")], { encoding: "utf8" }).trim();
  });

  const pinsWith = (name: string, sha256: string, path: string) => {
    const file = join(dir, `pins-${name}.json`);
    const pin = { repo: "example/upstream", commit, url: `https://github.com/example/upstream/archive/${commit}.tar.gz`, sha256, storePath: path };
    writeFileSync(file, JSON.stringify({ $comment: "test pins", [name]: pin }));
    return file;
  };

  it("refuses a tree whose hash is not the pin's, naming both hashes, and adds nothing", () => {
    const wrongPath = execFileSync("nix-store", ["--print-fixed-path", "--recursive", "sha256", otherHash, "source"], { encoding: "utf8" }).trim();
    const r = seed(pinsWith("upstream", otherHash, wrongPath), "upstream", repo);
    expect(r.status).toBe(1);
    expect(r.out).toContain(`refused ${repo} at ${commit}: its NAR hash is ${hash}, the pin of upstream says ${otherHash}`);
    expect(r.out).toContain("nothing was added");
    expect(existsSync(wrongPath)).toBe(false);
    expect(existsSync(storePath)).toBe(false);
  });

  it("adds the pinned commit of a checkout (not its checked-out tree) at the pin's store path, then finds it there", () => {
    const pins = pinsWith("upstream", hash, storePath);
    expect(existsSync(storePath)).toBe(false);
    const first = seed(pins, "upstream", repo);
    expect(first).toEqual({ status: 0, out: `upstream: added ${storePath} (NAR hash ${hash})\n` });
    expect(existsSync(join(storePath, "flake.nix"))).toBe(true);
    expect(seed(pins, "upstream", repo)).toEqual({ status: 0, out: `upstream: already in the store: ${storePath}\n` });
    expect(seed(pins, "--status").out).toBe(`upstream: in the store (${storePath})\n`);
    // and Nix's fetchTarball with the pin's hash now answers that path without a download
    const expr = `builtins.fetchTarball { url = "http://127.0.0.1:9/none.tar.gz"; sha256 = "${hash}"; }`;
    expect(JSON.parse(execFileSync("nix-instantiate", ["--eval", "--json", "-E", expr], { encoding: "utf8" }))).toBe(storePath);
  });

  it("a checkout without the pinned commit, an unknown name and a missing directory are errors that say what to do", () => {
    const pins = pinsWith("upstream", hash, "/nix/store/00000000000000000000000000000000-source");
    const bare = join(dir, "empty-repo");
    mkdirSync(bare);
    git(bare, "init", "-q");
    expect(seed(pins, "upstream", bare)).toMatchObject({ status: 1, out: expect.stringContaining(`has no commit ${commit} (the pin of upstream): fetch it there first`) });
    expect(seed(pins, "nope", repo)).toMatchObject({ status: 2, out: expect.stringContaining("pins no input named nope (known: upstream") });
    expect(seed(pins, "upstream", join(dir, "missing"))).toMatchObject({ status: 2, out: expect.stringContaining("is not a directory") });
    expect(seed(pins)).toMatchObject({ status: 2, out: expect.stringContaining("usage:") });
  });
});
