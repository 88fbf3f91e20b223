/**
 * The fleet scripts against a real sshd started by the test on 127.0.0.1 (a free port, a
 * throwaway key; see test-support/sshd.ts for how this machine's /etc is kept out of it) and
 * the real ssh and rsync, with no Nix on the PATH: the connectivity check passes, the
 * no-local-Nix deploy copies the repo with rsync and runs nixos-rebuild there, and a closed port
 * fails fast with the helpful message.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Scratch, runScript, toolDir, writeRepo } from "./test-support/deploy-repo.js";
import { FLEET_TOOLS, fleetInput } from "./test-support/fleet-repo.js";
import { TestSshd } from "./test-support/sshd.js";

let scratch: Scratch;
let sshd: TestSshd | undefined;
let skipReason = "";
let repo: string;
let tools: string;
let head: string;
const hadEtcNixos = existsSync("/etc/nixos");

beforeAll(async () => {
  scratch = new Scratch();
  const started = await TestSshd.start(scratch.dir("sshd"));
  if (typeof started === "string") {
    skipReason = started;
    console.warn(`skipping the real-sshd fleet tests: ${started}`);
    return;
  }
  sshd = started;
  tools = toolDir(scratch.dir("tools"), [...FLEET_TOOLS, "rsync", "git"]);
  // nas logs in as root on the test sshd's port; the other targets are not used here
  const input = fleetInput();
  input.hosts[3]!.deploy = { address: "127.0.0.1", sshPort: sshd.port, user: "root" };
  repo = writeRepo(scratch.dir("repo"), input);
  writeFileSync(join(repo, "secrets/media.env"), "TOKEN=s3cret\n");
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], { cwd: repo, encoding: "utf8" }).trim();
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "fleet");
  head = git("rev-parse", "HEAD");
});

afterAll(async () => {
  await sshd?.stop();
  scratch?.cleanup();
});

function run(script: string, args: string[]) {
  return runScript(join(repo, script), args, { path: [sshd!.clientBin, tools], env: { HOME: scratch.dir("home") } });
}

describe("deploy.sh without Nix here, against a real sshd", () => {
  test("the SSH check passes, rsync copies the repo to /etc/nixos (secrets and .git stay here), nixos-rebuild runs there", async (ctx) => {
    if (!sshd) ctx.skip(skipReason);
    sshd!.resetRebuildCalls();
    const r = await run("deploy.sh", ["nas"]);
    expect(r.exitCode, `${r.stderr}\nsshd:\n${sshd!.log()}`).toBe(0);
    expect(r.stderr).toContain(`ssh -p ${sshd!.port} -o BatchMode=yes -o ConnectTimeout=5 root@127.0.0.1 true`);
    expect(r.stderr).not.toContain("cannot reach");

    const dest = join(sshd!.etcUpper, "nixos");
    const here = listFiles(repo).filter((f) => !/^(\.git|secrets)\//.test(f));
    expect(here).toContain("deploy.sh");
    for (const file of here) expect(readFileSync(join(dest, file), "utf8"), file).toBe(readFileSync(join(repo, file), "utf8"));
    // nothing else arrived but the revision the deploy wrote for status.sh
    expect(listFiles(dest)).toEqual([...here, ".nixos-stack/revision"].sort());
    expect(readFileSync(join(dest, ".nixos-stack/revision"), "utf8")).toBe(`${head}\n`);
    expect(sshd!.rebuildCalls()).toEqual([{ args: ["switch", "--flake", ".#nas"], flakePresent: true }]);
    expect(existsSync("/etc/nixos")).toBe(hadEtcNixos);
  });

  test("against a closed port the check fails within seconds: exit 3, what to check, nothing copied", async (ctx) => {
    if (!sshd) ctx.skip(skipReason);
    sshd!.resetRebuildCalls();
    const closed = await closedPort();
    const started = Date.now();
    const r = await run("deploy.sh", ["nas", "127.0.0.1", "--port", String(closed)]);
    const seconds = (Date.now() - started) / 1000;
    expect(r.exitCode, r.stderr).toBe(3);
    expect(seconds).toBeLessThan(5);
    expect(r.stderr).toContain(`error: cannot reach root@127.0.0.1 over SSH (port ${closed}):`);
    expect(r.stderr).toContain("Connection refused");
    expect(r.stderr).toContain(`likely: nothing listens on port ${closed} there: is sshd running, and on that port?`);
    expect(r.stderr).not.toContain("rsync ");
    expect(sshd!.rebuildCalls()).toEqual([]);
  });
});

describe("rollback.sh and status.sh against a real sshd", () => {
  test("rollback.sh runs nixos-rebuild switch --rollback on the target", async (ctx) => {
    if (!sshd) ctx.skip(skipReason);
    sshd!.resetRebuildCalls();
    const r = await run("rollback.sh", ["nas", "--log-dir", scratch.dir("rollback-logs")]);
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/^nas +ok /m);
    expect(sshd!.rebuildCalls()).toEqual([{ args: ["switch", "--rollback"], flakePresent: true }]);
  });

  test("status.sh: the machine behind the sshd answers (reachable), over the real ssh", async (ctx) => {
    if (!sshd) ctx.skip(skipReason);
    const r = await run("status.sh", ["--json", "nas"]);
    expect(r.exitCode, r.stderr).toBe(0);
    // this test machine is no NixOS: reachable, nothing else known
    expect(JSON.parse(r.stdout)).toEqual([{ target: "nas", address: "127.0.0.1", reachable: true, revision: null, state: "unknown", generation: null, generationDate: null, failedUnits: null }]);
  });
});

/** A port on 127.0.0.1 nothing listens on (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(root, path));
    }
  };
  walk(root);
  return out.sort();
}
