/**
 * The fleet scripts against a real sshd started by the test on 127.0.0.1 (a free port, a
 * throwaway key; see test-support/sshd.ts for how this machine's /etc is kept out of it) and
 * the real ssh and rsync, with no Nix on the PATH: the connectivity check passes, the
 * no-local-Nix deploy copies the repo with rsync and runs nixos-rebuild there, and a closed port
 * fails fast with the helpful message. With `sudo: "password"`, the `alice` logins meet a sudo
 * that wants her password (the harness's stand-in): rollback.sh and deploy-all.sh, run in a
 * terminal (script(1)), ask for it once here and every target's sudo gets it, in parallel jobs
 * whose stdin is /dev/null, without it ever showing in the output, the logs, or any process's
 * argv or environment.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Scratch, runScript, toolDir, whichReal, writeRepo } from "./test-support/deploy-repo.js";
import { FLEET_TOOLS, fleetInput } from "./test-support/fleet-repo.js";
import { SUDO_PASSWORD, TestSshd } from "./test-support/sshd.js";

let scratch: Scratch;
let sshd: TestSshd | undefined;
let skipReason = "";
let repo: string;
let tools: string;
let head: string;
/** The same fleet with sudo: "password": lab and desk log in as alice (sudo asks), nas as root. */
let pwRepo: string;
/** The fleet deployed with colmena; nas logs in as root on the test sshd. */
let colmenaRepo: string;
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

  const pw = fleetInput({ sudo: "password" });
  pw.hosts[0]!.deploy = { address: "127.0.0.2", sshPort: sshd.port, user: "alice" };
  pw.hosts[2]!.deploy = { address: "127.0.0.3", sshPort: sshd.port, user: "alice" };
  pw.hosts[3]!.deploy = { address: "127.0.0.1", sshPort: sshd.port, user: "root" };
  pwRepo = writeRepo(scratch.dir("pw-repo"), pw);

  const colmena = fleetInput({ deployer: "colmena" });
  colmena.hosts[3]!.deploy = { address: "127.0.0.1", sshPort: sshd.port, user: "root" };
  colmenaRepo = writeRepo(scratch.dir("colmena-repo"), colmena);
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

describe('sudo: "password" against a real sshd whose sudo wants the password', () => {
  const rollbackCall = ["nixos-rebuild", "switch", "--rollback"];
  const noLeaks = (calls: { leaks: string[] }[]) => calls.flatMap((c) => c.leaks);

  test("rollback.sh in a terminal: asks once, here, unechoed; both alice targets' sudo get it, in parallel jobs, and it never shows", async (ctx) => {
    if (!sshd) ctx.skip(skipReason);
    sshd!.resetRebuildCalls();
    const logs = scratch.dir("pw-rollback-logs");
    const r = await inTerminal("rollback.sh", ["--log-dir", logs, "lab", "desk", "nas"], SUDO_PASSWORD);
    expect(r.exitCode, `${r.output}\nsshd:\n${sshd!.log()}`).toBe(0);
    expect(r.prompts).toBe(1);
    expect(r.output).toMatch(/^lab +ok /m);
    expect(r.output).toMatch(/^desk +ok /m);
    expect(r.output).toMatch(/^nas +ok /m);
    const sudo = sshd!.sudoCalls();
    expect(sudo.map((c) => [c.result, c.args])).toEqual([
      ["ok", rollbackCall],
      ["ok", rollbackCall],
    ]);
    expect(noLeaks(sudo)).toEqual([]);
    expect(sshd!.rebuildCalls().map((c) => c.args)).toEqual([["switch", "--rollback"], ["switch", "--rollback"], ["switch", "--rollback"]]);
    // not echoed by the terminal, not printed, not in a log
    expect(r.output).not.toContain(SUDO_PASSWORD);
    for (const log of readdirSync(logs)) expect(readFileSync(join(logs, log), "utf8"), log).not.toContain(SUDO_PASSWORD);
    // no longer one at a time: the password does not need the terminal once it is asked
    expect(r.output).not.toContain("one at a time");
    expect(r.output).toContain("rolling back lab desk nas (4 at a time)");
  });

  test("deploy-all.sh without Nix here, in a terminal: one prompt, the copy deploy's sudo nixos-rebuild gets the password", async (ctx) => {
    if (!sshd) ctx.skip(skipReason);
    sshd!.resetRebuildCalls();
    const logs = scratch.dir("pw-deploy-logs");
    const r = await inTerminal("deploy-all.sh", ["--log-dir", logs, "lab", "nas"], SUDO_PASSWORD);
    expect(r.exitCode, `${r.output}\nsshd:\n${sshd!.log()}`).toBe(0);
    expect(r.prompts).toBe(1);
    expect(r.output).toMatch(/^lab +ok /m);
    expect(r.output).toMatch(/^nas +ok /m);
    const sudo = sshd!.sudoCalls();
    expect(sudo.map((c) => [c.result, c.args])).toEqual([["ok", ["nixos-rebuild", "switch", "--flake", ".#lab"]]]);
    expect(noLeaks(sudo)).toEqual([]);
    expect(existsSync(join(sshd!.aliceHome, ".cache/nixos-stack/lan/flake.nix"))).toBe(true);
    expect(r.output).not.toContain(SUDO_PASSWORD);
    for (const log of readdirSync(logs)) expect(readFileSync(join(logs, log), "utf8"), log).not.toContain(SUDO_PASSWORD);
  });

  test("a wrong password: those targets fail with sudo's message, the root login still succeeds", async (ctx) => {
    if (!sshd) ctx.skip(skipReason);
    sshd!.resetRebuildCalls();
    const logs = scratch.dir("pw-wrong-logs");
    const r = await inTerminal("rollback.sh", ["--log-dir", logs, "lab", "nas"], "not the password");
    expect(r.exitCode, r.output).toBe(1);
    expect(r.output).toMatch(/^lab +FAILED \(exit 1\) /m);
    expect(r.output).toMatch(/^nas +ok /m);
    expect(readFileSync(join(logs, "lab.log"), "utf8")).toContain("sudo: 1 incorrect password attempt");
    expect(sshd!.sudoCalls().map((c) => c.result)).toEqual(["wrong password"]);
  });

  test("--sudo-password-stdin: no terminal needed (a password manager's output), the same safety", async (ctx) => {
    if (!sshd) ctx.skip(skipReason);
    sshd!.resetRebuildCalls();
    const r = await runScript(join(pwRepo, "rollback.sh"), ["--sudo-password-stdin", "--log-dir", scratch.dir("pw-stdin-logs"), "lab", "desk"], {
      path: [sshd!.clientBin, tools],
      env: { HOME: scratch.dir("home") },
      input: `${SUDO_PASSWORD}\n`,
    });
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
    const sudo = sshd!.sudoCalls();
    expect(sudo.map((c) => c.result)).toEqual(["ok", "ok"]);
    expect(noLeaks(sudo)).toEqual([]);
    expect(r.stdout + r.stderr).not.toContain(SUDO_PASSWORD);
  });
});

describe("colmena and --ssh-key against a real sshd", () => {
  test("deploy.sh --ssh-key: colmena's ssh (-F $SSH_CONFIG_FILE, as colmena runs it) logs in with that key and no other", async (ctx) => {
    if (!sshd) ctx.skip(skipReason);
    sshd!.resetRebuildCalls();
    // a colmena stand-in: the ssh command colmena runs for a host (zhaofengli/colmena src/nix/host/ssh.rs: ssh(), ssh_options())
    const bin = scratch.dir("colmena-bin");
    writeFileSync(
      join(bin, "nix"),
      `#!${whichReal("bash")}\nexec ${whichReal("ssh")} root@127.0.0.1 -o StrictHostKeyChecking=accept-new -o BatchMode=yes -T -p ${sshd!.port} \${SSH_CONFIG_FILE:+-F "$SSH_CONFIG_FILE"} -- nixos-rebuild colmena-stand-in\n`,
      { mode: 0o755 },
    );
    // ssh here offers no key of its own (the keyless client), and the config colmena's ssh would
    // otherwise read is the test's: known hosts, no key
    const opts = { path: [sshd!.keylessClientBin, bin, tools], env: { HOME: scratch.dir("home"), SSH_CONFIG_FILE: join(sshd!.dir, "ssh_config_keyless") } };
    const r = await runScript(join(colmenaRepo, "deploy.sh"), ["--ssh-key", sshd!.clientKey, "nas"], opts);
    expect(r.exitCode, `${r.stderr}\nsshd:\n${sshd!.log()}`).toBe(0);
    expect(sshd!.rebuildCalls().map((c) => c.args)).toEqual([["colmena-stand-in"]]);
    // without the key nothing logs in: it is --ssh-key that did
    const r2 = await runScript(join(colmenaRepo, "deploy.sh"), ["nas"], opts);
    expect(r2.exitCode).toBe(3);
    expect(r2.stderr).toContain("Permission denied");
  });
});

/**
 * Runs a script of pwRepo in a terminal (script(1) gives it one, as an operator's shell would),
 * with no Nix on the PATH; answers `answer` to each local password prompt, once it is shown (so
 * the terminal's echo setting at that moment decides what appears).
 */
function inTerminal(script: string, args: string[], answer: string): Promise<{ exitCode: number; output: string; prompts: number }> {
  const quote = (w: string) => `'${w.replace(/'/g, "'\\''")}'`;
  const command = ["exec", join(pwRepo, script), ...args].map(quote).join(" ");
  const child = spawn(whichReal("script"), ["-qec", command, "/dev/null"], {
    cwd: pwRepo,
    env: { PATH: [sshd!.clientBin, tools].join(":"), LANG: "C", HOME: scratch.dir("home"), SHELL: whichReal("bash"), TERM: "dumb" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  let answered = 0;
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    const prompts = output.match(/sudo password[^\n]*: /g)?.length ?? 0;
    while (answered < prompts) {
      answered++;
      child.stdin.write(`${answer}\n`);
    }
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ exitCode: code ?? -1, output: output.replace(/\r\n/g, "\n"), prompts: answered });
    });
  });
}

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
