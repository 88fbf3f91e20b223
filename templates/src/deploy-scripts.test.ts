/**
 * Behaviour tests for the generated deploy scripts: bootstrap.sh (nixos-anywhere through
 * the local nix or the nixos/nix Docker image) and update.sh (rsync to /etc/nixos, then
 * nixos-rebuild over ssh), with their sourced deploy/lib.sh and deploy/inventory.sh.
 *
 * 1. Against recording stand-ins for nix, docker, ssh and rsync on a PATH that holds
 *    nothing else (plus bash, cat, dirname, basename): the exact argv each script runs.
 * 2. update.sh against a real sshd and rsync on 127.0.0.1 and ::1 (see test-support/sshd.ts
 *    for how /etc/nixos on this machine is kept out of it).
 * 3. shellcheck and bash -n on every rendered script.
 */
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sh } from "@nixos-stack/core";
import { BASE_TOOLS, Scratch, Stubs, runScript, toolDir, vpsInput, whichReal, writeRepo } from "./test-support/deploy-repo.js";
import { TestSshd } from "./test-support/sshd.js";

const IP = "203.0.113.7";
const NIX_FLAGS = ["--extra-experimental-features", "nix-command flakes"];
const EXCLUDES = [
  ...["--exclude", ".git/", "--exclude", "/secrets/", "--exclude", "*.env", "--exclude", "*.key", "--exclude", "*.age.dec"],
  ...["--exclude", "result", "--exclude", "result-*", "--exclude", ".direnv/", "--exclude", "node_modules/"],
];

const anywhereArgs = (config: string, host = IP) => [
  "--flake",
  `.#${config}`,
  "--target-host",
  `root@${host}`,
  "--generate-hardware-config",
  "nixos-generate-config",
  `hosts/${config}/hardware-configuration.nix`,
];

let scratch: Scratch;
/** The vps preset rendered: hosts vps-x86 and vps-arm, no deploy.address, sshPort 2222, a gateway each. */
let repo: string;
/** bash, cat, dirname, basename and nothing else. */
let sys: string;
/** A private key file for --ssh-key (the stand-ins never read it). */
let key: string;
let home: string;
let stubCount = 0;

beforeAll(() => {
  scratch = new Scratch();
  repo = writeRepo(scratch.dir("repo"), vpsInput());
  sys = toolDir(scratch.dir("sys"), BASE_TOOLS);
  key = join(scratch.dir("keys"), "id_test");
  writeFileSync(key, "not a real key\n", { mode: 0o600 });
  home = scratch.dir("home");
});

afterAll(() => scratch?.cleanup());

/** Fresh recording stand-ins for `names`, in their own directory. */
function stubs(...names: string[]): Stubs {
  return new Stubs(join(scratch.root, `stubs-${++stubCount}`), names);
}

function bootstrap(args: string[], s: Stubs, opts: { cwd?: string; env?: Record<string, string>; repo?: string } = {}) {
  return runScript(join(opts.repo ?? repo, "bootstrap.sh"), args, { path: [s.bin, sys], cwd: opts.cwd, env: { HOME: home, ...opts.env } });
}

function update(args: string[], s: Stubs, opts: { repo?: string; env?: Record<string, string> } = {}) {
  return runScript(join(opts.repo ?? repo, "update.sh"), args, { path: [s.bin, sys], env: { HOME: home, ...opts.env } });
}

/** Runs the Docker container's `sh -c` command with stand-ins for git, install and nix: what would run inside. */
function runInnerCommand(inner: string) {
  const s = stubs("git", "install", "nix");
  const r = spawnSync(whichReal("sh"), ["-c", inner], { env: { PATH: s.bin }, encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return s.calls().map(({ cmd, args }) => ({ cmd, args }));
}

/** Another stack: the vps preset changed by `change`, rendered into its own directory. */
function otherRepo(name: string, change: (input: ReturnType<typeof vpsInput>) => void, answers: Parameters<typeof vpsInput>[0] = {}): string {
  const input = vpsInput(answers);
  change(input);
  return writeRepo(scratch.dir(name), input);
}

describe("bootstrap.sh with a local nix", () => {
  test("--system x86 runs nixos-anywhere from the flake, in the repo, with the key", async () => {
    const s = stubs("nix", "docker", "ssh", "rsync");
    const r = await bootstrap(["--host", IP, "--system", "x86", "--ssh-key", key, "--yes"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.calls()).toEqual([{ cmd: "nix", cwd: repo, args: [...NIX_FLAGS, "run", ".#nixos-anywhere", "--", ...anywhereArgs("vps-x86"), "-i", key] }]);
    // the next steps name the host's port, the exact config for update.sh, and the key given here
    expect(trimmedLines(r.stdout)).toContain(`ssh -p 2222 -i ${key} root@${IP}`);
    expect(trimmedLines(r.stdout)).toContain(`./update.sh --host ${IP} --config vps-x86 --ssh-key ${key}`);
  });

  test("--system arm picks vps-arm", async () => {
    const s = stubs("nix", "docker");
    const r = await bootstrap(["--host", IP, "--system", "arm", "--ssh-key", key, "--yes"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.calls()).toEqual([{ cmd: "nix", cwd: repo, args: [...NIX_FLAGS, "run", ".#nixos-anywhere", "--", ...anywhereArgs("vps-arm"), "-i", key] }]);
  });

  test("--config alone picks that host (its architecture is in the manifest)", async () => {
    const s = stubs("nix");
    const r = await bootstrap(["--host", IP, "--config", "vps-arm", "--ssh-key", key, "--yes"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.calls()[0]!.args).toContain(".#vps-arm");
  });

  test("a relative --ssh-key is relative to where the script was started, not to the repo", async () => {
    const s = stubs("nix");
    const r = await bootstrap(["--host", IP, "--system", "x86", "--ssh-key", "keys/id_test", "--yes"], s, { cwd: scratch.root });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.calls()[0]!.args.slice(-2)).toEqual(["-i", join(scratch.root, "keys/id_test")]);
  });

  test("the default key is ~/.ssh/id_ed25519", async () => {
    const h = scratch.dir("home-with-key");
    mkdirSync(join(h, ".ssh"));
    writeFileSync(join(h, ".ssh/id_ed25519"), "x", { mode: 0o600 });
    const s = stubs("nix");
    const r = await bootstrap(["--host", IP, "--system", "x86", "--yes"], s, { env: { HOME: h } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.calls()[0]!.args.slice(-2)).toEqual(["-i", join(h, ".ssh/id_ed25519")]);
    // ssh finds a default key by itself: the next steps need no -i
    expect(trimmedLines(r.stdout)).toContain(`ssh -p 2222 root@${IP}`);
    expect(trimmedLines(r.stdout)).toContain(`./update.sh --host ${IP} --config vps-x86`);
  });

  test("without id_ed25519 the default key is the first of id_ecdsa, id_rsa", async () => {
    const h = scratch.dir("home-with-rsa");
    mkdirSync(join(h, ".ssh"));
    writeFileSync(join(h, ".ssh/id_rsa"), "x", { mode: 0o600 });
    const s = stubs("nix");
    const r = await bootstrap(["--host", IP, "--system", "x86", "--yes"], s, { env: { HOME: h } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.calls()[0]!.args.slice(-2)).toEqual(["-i", join(h, ".ssh/id_rsa")]);
  });

  test("--dry-run without the key file warns and still prints the commands", async () => {
    const s = stubs("nix");
    const r = await bootstrap(["--host", IP, "--system", "x86", "--dry-run"], s, { env: { HOME: scratch.dir("home-without-keys") } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain("warning: --ssh-key");
    expect(r.stderr).toContain("run .#nixos-anywhere");
    expect(s.calls()).toEqual([]);
  });

  test("deploy.address in the manifest stands in for --host", async () => {
    const withAddress = otherRepo("repo-address-bootstrap", () => {}, { address: "198.51.100.4" });
    const s = stubs("nix");
    const r = await bootstrap(["--system", "x86", "--ssh-key", key, "--yes"], s, { repo: withAddress });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.calls()[0]!.args).toContain("root@198.51.100.4");
  });

  test("a failing nixos-anywhere fails the script, with no next steps", async () => {
    const s = stubs("nix");
    const r = await bootstrap(["--host", IP, "--system", "x86", "--ssh-key", key, "--yes"], s, { env: { STUB_EXIT_nix: "3" } });
    expect(r.exitCode).toBe(3);
    expect(r.stdout).not.toContain("Next");
  });

  test("next steps: one secrets command per gateway of the host, numbered; none without gateways", async () => {
    const s = stubs("nix");
    const r = await bootstrap(["--host", IP, "--system", "x86", "--ssh-key", key, "--yes"], s);
    expect(r.stdout).toContain(
      `  3. Put the secrets of gateway on the server (never in this repo):\n       ssh -p 2222 -i ${key} root@${IP} 'install -d -m 700 -o gateway /home/gateway/.config/gateway && install -m 600 -o gateway /dev/stdin /home/gateway/.config/gateway/secrets.env && systemctl --user -M gateway@ restart gateway' < secrets/gateway.env\n  4. Copy the repo to /etc/nixos`,
    );

    // a node-app under env-file: its root-only file under /etc/<stack>/secrets, then its restart
    const withBot = otherRepo("repo-bot", (input) => {
      (input.hosts as Array<{ services?: unknown[] }>)[0]!.services = [{ kind: "node-app", name: "bot", source: { github: "acme/bot" } }];
    });
    const r3 = await bootstrap(["--host", IP, "--system", "x86", "--ssh-key", key, "--yes"], stubs("nix"), { repo: withBot });
    expect(r3.exitCode, r3.stderr).toBe(0);
    expect(r3.stdout).toContain(
      `  3. Put the secrets of bot on the server (never in this repo; KEY=value lines, root-only):\n       ssh -p 2222 -i ${key} root@${IP} 'install -d -m 700 /etc/t/secrets && install -m 600 /dev/stdin /etc/t/secrets/bot.env && systemctl restart bot' < secrets/bot.env\n  4. Copy the repo to /etc/nixos`,
    );

    const bare = otherRepo("repo-no-gateway", () => {}, { gateway: false });
    const r2 = await bootstrap(["--host", IP, "--system", "x86", "--ssh-key", key, "--yes"], stubs("nix"), { repo: bare });
    expect(r2.exitCode, r2.stderr).toBe(0);
    expect(r2.stdout).not.toContain("secrets");
    expect(r2.stdout).toContain(`  3. Copy the repo to /etc/nixos (the daily auto-upgrade builds from there), now and after every change:\n       ./update.sh --host ${IP} --config vps-x86`);
  });
});

describe("bootstrap.sh with Docker", () => {
  const runInner = runInnerCommand;

  test("without nix: nixos/nix with the repo and the key mounted, git made to trust the repo", async () => {
    const s = stubs("docker", "ssh", "rsync");
    const r = await bootstrap(["--host", IP, "--system", "x86", "--ssh-key", key, "--yes"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    const calls = s.calls();
    expect(calls).toHaveLength(1);
    const { cmd, cwd, args } = calls[0]!;
    expect({ cmd, cwd }).toEqual({ cmd: "docker", cwd: repo });
    // stdin is not a terminal here: -i without -t
    expect(args.slice(0, -1)).toEqual(["run", "--rm", "-i", "-v", `${repo}:/repo`, "-w", "/repo", "-v", `${key}:/run/ssh-key:ro`, "nixos/nix", "sh", "-c"]);
    const inner = args.at(-1)!;
    expect(inner).toContain("git config --global --add safe.directory '*'");
    // what nixos-anywhere writes as root in the container is handed back to the caller
    expect(inner).toContain(`chown -R ${process.getuid!()}:${process.getgid!()} /repo/hosts /repo/.git /repo/flake.lock`);
    expect(runInner(inner)).toEqual([
      { cmd: "git", args: ["config", "--global", "--add", "safe.directory", "*"] },
      { cmd: "install", args: ["-m", "600", "/run/ssh-key", "/root/id"] },
      { cmd: "nix", args: [...NIX_FLAGS, "run", ".#nixos-anywhere", "--", ...anywhereArgs("vps-x86"), "-i", "/root/id"] },
    ]);
  });

  test("--docker uses Docker even when nix is installed", async () => {
    const s = stubs("nix", "docker");
    const r = await bootstrap(["--host", IP, "--system", "arm", "--ssh-key", key, "--yes", "--docker"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.calls().map((c) => c.cmd)).toEqual(["docker"]);
    expect(runInner(s.calls()[0]!.args.at(-1)!).at(-1)!.args).toEqual([...NIX_FLAGS, "run", ".#nixos-anywhere", "--", ...anywhereArgs("vps-arm"), "-i", "/root/id"]);
  });

  test("--docker without docker says so (not 'neither nix nor docker')", async () => {
    const s = stubs("nix");
    const r = await bootstrap(["--host", IP, "--system", "x86", "--ssh-key", key, "--yes", "--docker"], s);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--docker: docker not found/);
    expect(s.calls()).toEqual([]);
  });

  test("neither nix nor docker: exit 2 naming both", async () => {
    const s = stubs("ssh", "rsync");
    const r = await bootstrap(["--host", IP, "--system", "x86", "--ssh-key", key, "--yes"], s);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/neither nix nor docker found/);
    expect(r.stderr).toMatch(/Docker.*Nix|Nix.*Docker/);
    expect(s.calls()).toEqual([]);
  });
});

describe("bootstrap.sh --dry-run on a machine with neither nix nor docker (the first step the CLI recommends)", () => {
  test("exits 0 with the plan for Docker and for Nix, and says what a real run needs", async () => {
    const s = stubs("ssh", "rsync");
    const r = await bootstrap(["--host", IP, "--system", "x86", "--ssh-key", key, "--dry-run"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.calls()).toEqual([]);
    expect(r.stderr).toMatch(/warning: neither nix nor docker found: a real run needs one of them: install Docker \(https:\/\/docs\.docker\.com\/get-docker\/\) or Nix/);
    expect(r.stderr).toMatch(/^docker run --rm -i -v .*:\/repo -w \/repo -v .*:\/run\/ssh-key:ro nixos\/nix sh -c .*--target-host\\ root@203\.0\.113\.7/m);
    expect(r.stderr).toContain(`nix --extra-experimental-features nix-command\\ flakes run .#nixos-anywhere -- --flake .#vps-x86 --target-host root@${IP}`);
    expect(r.stderr).toContain("dry run: nothing was run");
  });

  test("--docker --dry-run without docker: the Docker plan, and that docker is missing", async () => {
    const s = stubs("nix");
    const r = await bootstrap(["--host", IP, "--system", "x86", "--ssh-key", key, "--dry-run", "--docker"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.calls()).toEqual([]);
    expect(r.stderr).toContain("warning: docker not found: a real run with --docker needs it");
    expect(r.stderr).toMatch(/^docker run --rm -i .*nixos\/nix sh -c /m);
  });
});

describe("bootstrap.sh as a sudo user (cloud images without root login)", () => {
  test("--user ubuntu: nixos-anywhere logs in as ubuntu@host and needs no other flag; root logs in afterwards", async () => {
    const s = stubs("nix");
    const r = await bootstrap(["--host", IP, "--system", "x86", "--user", "ubuntu", "--ssh-key", key, "--yes"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    const args = anywhereArgs("vps-x86").map((a) => (a === `root@${IP}` ? `ubuntu@${IP}` : a));
    expect(s.calls()).toEqual([{ cmd: "nix", cwd: repo, args: [...NIX_FLAGS, "run", ".#nixos-anywhere", "--", ...args, "-i", key] }]);
    // after the install, the admins' keys open root: the next steps log in as root
    expect(trimmedLines(r.stdout)).toContain(`ssh -p 2222 -i ${key} root@${IP}`);
  });

  test("--user ubuntu through Docker: the container's nixos-anywhere targets ubuntu@host", async () => {
    const s = stubs("docker");
    const r = await bootstrap(["--host", IP, "--system", "arm", "--user", "ubuntu", "--ssh-key", key, "--yes"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    const nix = runInnerCommand(s.calls()[0]!.args.at(-1)!).at(-1)!;
    expect(nix.args).toContain(`ubuntu@${IP}`);
    expect(nix.args).not.toContain(`root@${IP}`);
  });

  test("without --yes, the refusal names the user it would log in as", async () => {
    const s = stubs("nix");
    const r = await bootstrap(["--host", IP, "--system", "x86", "--user", "ubuntu", "--ssh-key", key], s);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`refusing to wipe ubuntu@${IP} without confirmation`);
  });

  test("--port 2200 (the SSH port before the install) reaches nixos-anywhere as --ssh-port", async () => {
    const s = stubs("nix");
    const r = await bootstrap(["--host", IP, "--system", "x86", "--port", "2200", "--ssh-key", key, "--yes"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.calls()[0]!.args.slice(-4)).toEqual(["--ssh-port", "2200", "-i", key]);
    // the installed system listens on the manifest's port, whatever the old one was
    expect(trimmedLines(r.stdout)).toContain(`ssh -p 2222 -i ${key} root@${IP}`);
  });
});

describe("bootstrap.sh confirmation", () => {
  test("without --yes and with stdin not a terminal: refuses, runs nothing", async () => {
    const s = stubs("nix", "docker");
    const r = await bootstrap(["--host", IP, "--system", "x86", "--ssh-key", key], s);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/refusing to wipe root@203\.0\.113\.7 without confirmation.*--yes/);
    expect(s.calls()).toEqual([]);
  });

  // script(1) gives the script a terminal; what the test writes to it is what the operator types
  const haveScript = spawnSync("/bin/sh", ["-c", "command -v script"]).status === 0;
  async function typed(answer: string, s: Stubs) {
    const command = ["exec", join(repo, "bootstrap.sh"), "--host", IP, "--system", "x86", "--ssh-key", key].map(sh).join(" ");
    return runScript(whichReal("script"), ["-qec", command, "/dev/null"], {
      path: [s.bin, sys],
      cwd: repo,
      env: { HOME: home, SHELL: whichReal("bash") },
      input: `${answer}\n`,
    });
  }

  test.skipIf(!haveScript)("in a terminal: typing the address again goes ahead", async () => {
    const s = stubs("nix");
    const r = await typed(IP, s);
    expect(r.exitCode, r.stdout).toBe(0);
    expect(r.stdout).toContain("This ERASES /dev/sda on root@203.0.113.7 and installs NixOS (vps-x86).");
    expect(s.calls().map((c) => c.cmd)).toEqual(["nix"]);
  });

  test.skipIf(!haveScript)("in a terminal: any other answer stops with nothing run", async () => {
    const s = stubs("nix");
    const r = await typed("203.0.113.8", s);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toContain("not confirmed; nothing was done");
    expect(s.calls()).toEqual([]);
  });
});

describe("--dry-run", () => {
  test("bootstrap.sh prints the command and runs nothing (no confirmation needed)", async () => {
    const s = stubs("nix", "docker");
    const r = await bootstrap(["--host", IP, "--system", "x86", "--ssh-key", key, "--dry-run"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.calls()).toEqual([]);
    expect(r.stderr).toContain(`nix --extra-experimental-features nix-command\\ flakes run .#nixos-anywhere -- --flake .#vps-x86 --target-host root@${IP}`);
    expect(r.stderr).toContain("dry run: nothing was run");
    expect(r.stdout).not.toContain("installed");
  });

  test("bootstrap.sh --docker --dry-run prints the docker command and runs nothing", async () => {
    const s = stubs("docker");
    const r = await bootstrap(["--host", IP, "--system", "x86", "--ssh-key", key, "--dry-run", "--docker"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.calls()).toEqual([]);
    expect(r.stderr).toMatch(/^docker run --rm -i -v .*nixos\/nix sh -c /m);
  });

  test("update.sh prints both commands and runs nothing", async () => {
    const s = stubs("ssh", "rsync");
    const r = await update(["--host", IP, "--system", "x86", "--dry-run"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.calls()).toEqual([]);
    expect(r.stderr).toMatch(/^rsync -rlptz --delete .* ssh\\ -p\\ 2222\\ -o\\ ConnectTimeout=10 \.\/ root@203\.0\.113\.7:\/etc\/nixos\/$/m);
    expect(r.stderr).toMatch(/^ssh -p 2222 -o ConnectTimeout=10 root@203\.0\.113\.7 nixos-rebuild\\ switch\\ --flake\\ \/etc\/nixos#vps-x86$/m);
  });
});

describe("bad input: exit 2 with a message naming the flag, nothing run", () => {
  // each runs with --yes (so refusing to ask is never the reason) and, unless it gives its own, --ssh-key <a real file>
  const cases: [string, string[], RegExp][] = [
    ["missing --host", ["--system", "x86"], /--host is required/],
    ["--host without a value", ["--system", "x86", "--host"], /--host needs a value/],
    ["--host followed by another option", ["--host", "--system", "x86"], /--host needs a value/],
    ["missing --system", ["--host", IP], /--system is required/],
    ["--system mips", ["--host", IP, "--system", "mips"], /--system mips: use x86 or arm/],
    ["--config unknown", ["--host", IP, "--config", "unknown"], /--config unknown: no such host in nixos-stack.json \(hosts: vps-x86 vps-arm\)/],
    ["--config of the other architecture", ["--host", IP, "--system", "x86", "--config", "vps-arm"], /--config vps-arm is aarch64-linux, not --system x86/],
    ["an unknown flag", ["--host", IP, "--system", "x86", "--frobnicate"], /unknown option: --frobnicate/],
    ["a missing key file", ["--host", IP, "--system", "x86", "--ssh-key", "/nonexistent/id"], /--ssh-key \/nonexistent\/id: no such file/],
    ["--ssh-key without a value", ["--host", IP, "--system", "x86", "--ssh-key"], /--ssh-key needs a value/],
    ["--ssh-key a directory", ["--host", IP, "--system", "x86", "--ssh-key", "/tmp"], /--ssh-key \/tmp is a directory: give the private key file/],
    ["--user with an @", ["--host", IP, "--system", "x86", "--user", "ubuntu@other"], /--user ubuntu@other: not a user name/],
    ["--user without a value", ["--host", IP, "--system", "x86", "--user"], /--user needs a value/],
    ["--port abc", ["--host", IP, "--system", "x86", "--port", "abc"], /--port abc: not a port number/],
  ];
  test.each(cases)("bootstrap.sh: %s", async (_name, args, message) => {
    const s = stubs("nix", "docker", "ssh", "rsync");
    const r = await bootstrap([...(args.includes("--ssh-key") ? [] : ["--ssh-key", key]), ...args, "--yes"], s);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(s.calls()).toEqual([]);
  });

  test("bootstrap.sh: no --ssh-key and no ~/.ssh/id_ed25519", async () => {
    const s = stubs("nix");
    const r = await bootstrap(["--host", IP, "--system", "x86", "--yes"], s);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toContain(`--ssh-key ${home}/.ssh/id_ed25519: no such file`);
    expect(s.calls()).toEqual([]);
  });

  const updateCases: [string, string[], RegExp][] = [
    ["no --host and no deploy.address", ["--system", "x86"], /--host is required.*deploy\.address of vps-x86/],
    ["--host without a value", ["--system", "x86", "--host"], /--host needs a value/],
    ["missing --system", ["--host", IP], /--system is required/],
    ["--system mips", ["--host", IP, "--system", "mips"], /--system mips: use x86 or arm/],
    ["--config unknown", ["--host", IP, "--config", "unknown"], /--config unknown: no such host/],
    ["--port abc", ["--host", IP, "--system", "x86", "--port", "abc"], /--port abc: not a port number/],
    ["--port 70000", ["--host", IP, "--system", "x86", "--port", "70000"], /--port 70000: not a port number/],
    ["--port 0", ["--host", IP, "--system", "x86", "--port", "0"], /--port 0: not a port number/],
    ["an unknown flag", ["--host", IP, "--system", "x86", "--yes"], /unknown option: --yes/],
    ["a missing key file", ["--host", IP, "--system", "x86", "--ssh-key", "/nonexistent/id"], /--ssh-key \/nonexistent\/id: no such file \(the private key that logs in as root@203\.0\.113\.7\)/],
    ["--ssh-key without a value", ["--host", IP, "--system", "x86", "--ssh-key"], /--ssh-key needs a value/],
    ["--user with a space", ["--host", IP, "--system", "x86", "--user", "a b"], /--user a b: not a user name/],
  ];
  test.each(updateCases)("update.sh: %s", async (_name, args, message) => {
    const s = stubs("ssh", "rsync");
    const r = await update(args, s);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(s.calls()).toEqual([]);
  });
});

describe("update.sh", () => {
  const rsyncArgs = (target: string, port = 2222) => ["-rlptz", "--delete", ...EXCLUDES, "-e", `ssh -p ${port} -o ConnectTimeout=10`, "./", target];
  const sshArgs = (host: string, config: string, port = 2222) => ["-p", String(port), "-o", "ConnectTimeout=10", `root@${host}`, `nixos-rebuild switch --flake /etc/nixos#${config}`];

  test("--system arm without Nix here: rsync to /etc/nixos on the host's SSH port, then nixos-rebuild switch there (the server builds, and says it is slower)", async () => {
    const s = stubs("ssh", "rsync", "docker");
    const r = await update(["--host", IP, "--system", "arm"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.calls()).toEqual([
      { cmd: "rsync", cwd: repo, args: rsyncArgs(`root@${IP}:/etc/nixos/`) },
      { cmd: "ssh", cwd: repo, args: sshArgs(IP, "vps-arm") },
    ]);
    expect(r.stderr).toContain("the server builds the system itself; slower on a small server");
  });

  test("with Nix here it builds here and copies the result (--target-host), after the rsync the auto-upgrade needs; NIX_SSHOPTS carries port and key", async () => {
    const s = stubs("ssh", "rsync", "nix");
    const r = await update(["--host", IP, "--system", "x86", "--ssh-key", key], s);
    expect(r.exitCode, r.stderr).toBe(0);
    const calls = s.calls();
    expect(calls.map((c) => c.cmd)).toEqual(["rsync", "nix"]);
    expect(calls[1]!.args).toEqual(["--extra-experimental-features", "nix-command flakes", "develop", "--command", "nixos-rebuild", "switch", "--flake", ".#vps-x86", "--target-host", `root@${IP}`]);
    expect(r.stderr).toContain(`NIX_SSHOPTS=-p 2222 -o ConnectTimeout=10 -i ${key} -o IdentitiesOnly=yes`);
  });

  test("--build-on server with Nix here still lets the server build; --build-on local without Nix is refused; a non-root login adds --sudo", async () => {
    const s = stubs("ssh", "rsync", "nix");
    expect((await update(["--host", IP, "--system", "x86", "--build-on", "server"], s)).exitCode).toBe(0);
    expect(s.calls().map((c) => c.cmd)).toEqual(["rsync", "ssh"]);
    const none = stubs("ssh", "rsync");
    const refused = await update(["--host", IP, "--system", "x86", "--build-on", "local"], none);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain("--build-on local needs Nix on this machine");
    expect(none.calls()).toEqual([]);
    const bad = await update(["--host", IP, "--system", "x86", "--build-on", "cloud"], none);
    expect(bad.stderr).toContain("--build-on cloud: use local or server");
    const sudo = stubs("ssh", "rsync", "nix");
    expect((await update(["--host", IP, "--system", "x86", "--user", "admin"], sudo)).exitCode).toBe(0);
    expect(sudo.calls().at(-1)!.args.slice(-3)).toEqual(["--target-host", `admin@${IP}`, "--sudo"]);
  });

  test("--port overrides the manifest's port in both commands", async () => {
    const s = stubs("ssh", "rsync");
    const r = await update(["--host", IP, "--system", "x86", "--port", "2200"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.calls().map((c) => c.args)).toEqual([rsyncArgs(`root@${IP}:/etc/nixos/`, 2200), sshArgs(IP, "vps-x86", 2200)]);
  });

  test("with git here, the commit goes to /etc/nixos/.nixos-stack/revision after the copy (as deploy.sh does), so the auto-upgrade keeps its configurationRevision; -dirty with changes; sudo for a non-root login", async () => {
    const dir = otherRepo("repo-git", () => {});
    const git = (...args: string[]) => spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd: dir, encoding: "utf8" });
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "generated");
    const head = git("rev-parse", "HEAD").stdout.trim();
    expect(head).toMatch(/^[0-9a-f]{40}$/);
    const withGit = [toolDir(scratch.dir("git-tool"), ["git"])];
    const record = (rev: string) => `mkdir -p /etc/nixos/.nixos-stack && printf '%s\\n' ${rev} > /etc/nixos/.nixos-stack/revision`;
    const run = (s: Stubs, args: string[]) => runScript(join(dir, "update.sh"), args, { path: [s.bin, sys, ...withGit], env: { HOME: home } });

    const s = stubs("ssh", "rsync", "nix");
    const r = await run(s, ["--host", IP, "--system", "x86"]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.calls().map((c) => [c.cmd, c.args.at(-1)])).toEqual([
      ["rsync", `root@${IP}:/etc/nixos/`],
      ["ssh", record(head)],
      ["nix", `root@${IP}`],
    ]);
    // what that command writes, run by a real shell: the file the flake reads (revisionFile in flake.nix)
    const etc = scratch.dir("fake-etc");
    const wrote = spawnSync("sh", ["-c", record(head).replaceAll("/etc/nixos", etc)], { encoding: "utf8" });
    expect(wrote.status, wrote.stderr).toBe(0);
    expect(readFileSync(join(etc, ".nixos-stack/revision"), "utf8")).toBe(`${head}\n`);

    writeFileSync(join(dir, "flake.nix"), `${readFileSync(join(dir, "flake.nix"), "utf8")}\n`);
    const dirty = stubs("ssh", "rsync");
    expect((await run(dirty, ["--host", IP, "--system", "x86", "--user", "admin"])).exitCode).toBe(0);
    const [copy, recorded, rebuilt] = dirty.calls().map((c) => c.args.at(-1)!);
    expect([copy, rebuilt]).toEqual([`admin@${IP}:/etc/nixos/`, "sudo -n nixos-rebuild switch --flake /etc/nixos#vps-x86"]);
    // the remote shell's words: sudo -n sh -c <the same command, for -dirty>
    const words = spawnSync("bash", ["-c", 'eval "set -- $1"; printf "%s\\0" "$@"', "_", recorded!], { encoding: "utf8" }).stdout.split("\0").slice(0, -1);
    expect(words).toEqual(["sudo", "-n", "sh", "-c", record(`${head}-dirty`)]);
  });

  test("deploy.address and deploy.sshPort from the manifest: no --host needed; --host still wins", async () => {
    const withAddress = otherRepo("repo-address", () => {}, { address: "198.51.100.4", sshPort: 2022 });
    const s = stubs("ssh", "rsync");
    const r = await update(["--system", "x86"], s, { repo: withAddress });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.calls().map((c) => c.args)).toEqual([rsyncArgs("root@198.51.100.4:/etc/nixos/", 2022), sshArgs("198.51.100.4", "vps-x86", 2022)]);

    const s2 = stubs("ssh", "rsync");
    await update(["--system", "x86", "--host", IP], s2, { repo: withAddress });
    expect(s2.calls().map((c) => c.args.at(-1))).toEqual([`root@${IP}:/etc/nixos/`, "nixos-rebuild switch --flake /etc/nixos#vps-x86"]);
  });

  test("an IPv6 --host is bracketed for rsync and bare for ssh", async () => {
    const s = stubs("ssh", "rsync");
    const r = await update(["--host", "2001:db8::1", "--system", "x86"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.calls().map((c) => c.args)).toEqual([rsyncArgs("root@[2001:db8::1]:/etc/nixos/"), sshArgs("2001:db8::1", "vps-x86")]);
  });

  test("--ssh-key: ssh gets -i KEY -o IdentitiesOnly=yes, and rsync's -e the same, quoted the way rsync splits it", async () => {
    // a space and a quote: rsync splits -e on spaces and knows '...' with '' for a quote, not backslashes
    const odd = join(scratch.dir("keys dir"), "it's key");
    writeFileSync(odd, "not a real key\n", { mode: 0o600 });
    const s = stubs("ssh", "rsync");
    const r = await update(["--host", IP, "--system", "x86", "--ssh-key", odd], s);
    expect(r.exitCode, r.stderr).toBe(0);
    const [rsync, ssh] = s.calls();
    const e = rsync!.args[rsync!.args.indexOf("-e") + 1];
    expect(e).toBe(`ssh -p 2222 -o ConnectTimeout=10 -i '${odd.replace("'", "''")}' -o IdentitiesOnly=yes`);
    expect(splitLikeRsync(e!)).toEqual(["ssh", "-p", "2222", "-o", "ConnectTimeout=10", "-i", odd, "-o", "IdentitiesOnly=yes"]);
    expect(ssh!.args).toEqual(["-p", "2222", "-o", "ConnectTimeout=10", "-i", odd, "-o", "IdentitiesOnly=yes", `root@${IP}`, "nixos-rebuild switch --flake /etc/nixos#vps-x86"]);
  });

  test("without --ssh-key, ssh chooses the key itself (config, agent, defaults): no -i, no IdentitiesOnly", async () => {
    const s = stubs("ssh", "rsync");
    await update(["--host", IP, "--system", "x86"], s);
    for (const call of s.calls()) expect(call.args.join(" ")).not.toMatch(/-i |IdentitiesOnly/);
  });

  test("a relative --ssh-key is relative to where update.sh was started", async () => {
    const s = stubs("ssh", "rsync");
    const r = await runScript(join(repo, "update.sh"), ["--host", IP, "--system", "x86", "--ssh-key", "keys/id_test"], { path: [s.bin, sys], cwd: scratch.root, env: { HOME: home } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.calls().find((c) => c.cmd === "ssh")!.args.slice(4, 6)).toEqual(["-i", join(scratch.root, "keys/id_test")]);
  });

  test("--user admin: logs in as admin for both commands and becomes root through passwordless sudo", async () => {
    const s = stubs("ssh", "rsync");
    const r = await update(["--host", IP, "--system", "x86", "--user", "admin"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    const [rsync, ssh] = s.calls();
    expect(rsync!.args.slice(-4)).toEqual(["--rsync-path", "sudo -n rsync", "./", `admin@${IP}:/etc/nixos/`]);
    expect(ssh!.args.slice(-2)).toEqual([`admin@${IP}`, "sudo -n nixos-rebuild switch --flake /etc/nixos#vps-x86"]);
  });

  test("a failed copy stops before nixos-rebuild", async () => {
    const s = stubs("ssh", "rsync");
    const r = await update(["--host", IP, "--system", "x86"], s, { env: { STUB_EXIT_rsync: "23" } });
    expect(r.exitCode).toBe(23);
    expect(s.calls().map((c) => c.cmd)).toEqual(["rsync"]);
  });

  test("two hosts of one architecture: --system picks the first, --config the other; bootstrap's hint keeps --config", async () => {
    const two = otherRepo("repo-two-x86", (input) => {
      const first = input.hosts[0]!;
      input.hosts.push({ ...first, name: "web2" });
    });
    const s = stubs("ssh", "rsync");
    await update(["--host", IP, "--system", "x86"], s, { repo: two });
    await update(["--host", IP, "--config", "web2"], s, { repo: two });
    expect(s.calls().filter((c) => c.cmd === "ssh").map((c) => c.args.at(-1))).toEqual([
      "nixos-rebuild switch --flake /etc/nixos#vps-x86",
      "nixos-rebuild switch --flake /etc/nixos#web2",
    ]);

    const r = await bootstrap(["--host", IP, "--system", "x86", "--config", "web2", "--ssh-key", key, "--yes"], stubs("nix"), { repo: two });
    expect(r.exitCode, r.stderr).toBe(0);
    // `--system x86` alone would deploy vps-x86's configuration to web2's server
    expect(r.stdout).toContain(`./update.sh --host ${IP} --config web2`);
  });
});

describe("the connection options are the same in both scripts (parsed once, in deploy/lib.sh)", () => {
  test.each(["--host", "--port", "--user", "--ssh-key"])("%s: documented by both --help texts and parsed by deploy/lib.sh", async (flag) => {
    for (const script of ["bootstrap.sh", "update.sh"]) {
      const r = await runScript(join(repo, script), ["--help"], { path: [sys], env: { HOME: home } });
      expect(r.stdout, script).toMatch(new RegExp(`^  ${flag} <`, "m"));
      // no script parses it on its own, so the two cannot drift
      expect(readFileSync(join(repo, script), "utf8"), script).not.toContain(`${flag})`);
    }
    expect(readFileSync(join(repo, "deploy/lib.sh"), "utf8")).toContain(`    ${flag}) need_value "$@";`);
  });

  test("the same bad value gets the same message from both", async () => {
    const messages = [];
    for (const script of ["bootstrap.sh", "update.sh"]) {
      const r = await runScript(join(repo, script), ["--host", IP, "--system", "x86", "--ssh-key", key, "--port", "99999", "--dry-run"], { path: [stubs("nix").bin, sys], env: { HOME: home } });
      expect(r.exitCode).toBe(2);
      messages.push(r.stderr.trim().split("\n").at(-1));
    }
    expect(messages).toEqual(["error: --port 99999: not a port number (1-65535)", "error: --port 99999: not a port number (1-65535)"]);
  });
});

describe("--help", () => {
  test.each(["bootstrap.sh", "update.sh"])("%s --help and -h: exit 0, usage on stdout, nothing run", async (script) => {
    for (const flag of ["--help", "-h"]) {
      const s = stubs("nix", "docker", "ssh", "rsync");
      const r = await runScript(join(repo, script), [flag], { path: [s.bin, sys], env: { HOME: home } });
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: \\./${script.replace(".", "\\.")} --host <ip> --system x86\\|arm`));
      expect(s.calls()).toEqual([]);
    }
  });
});

describe("static checks on the rendered scripts", () => {
  const scripts = ["bootstrap.sh", "update.sh", "stack.sh", "deploy/lib.sh", "deploy/inventory.sh"];

  test.each(scripts)("bash -n %s", (script) => {
    const r = spawnSync("bash", ["-n", script], { cwd: repo, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
  });

  const haveShellcheck = spawnSync("/bin/sh", ["-c", "command -v shellcheck"]).status === 0;
  test.skipIf(!haveShellcheck)("shellcheck -x on every script (following the sourced files)", () => {
    const r = spawnSync("shellcheck", ["-x", ...scripts], { cwd: repo, encoding: "utf8" });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  test("the executables are executable, the sourced files are not", () => {
    for (const script of scripts) expect((statSync(join(repo, script)).mode & 0o111) !== 0, script).toBe(!script.startsWith("deploy/"));
  });

  // macOS runs `#!/usr/bin/env bash` with its bash 3.2 unless the user installed another;
  // neither shellcheck nor this machine's bash 5 catches bash-4-only syntax, so look for it.
  test.each(scripts)("%s uses no bash-4-only syntax (macOS ships bash 3.2)", (script) => {
    const text = readFileSync(join(repo, script), "utf8");
    const bash4 = [/\bdeclare\s+-[a-zA-Z]*[An]/, /\blocal\s+-[a-zA-Z]*n/, /\b(mapfile|readarray|coproc)\b/, /\$\{[^}]*(,,|\^\^|@[QEPAaKk])\}/, /;;&|;&|\|&|&>>/, /\$\{[A-Za-z_]+\[-1\]\}/];
    for (const pattern of bash4) expect(text, `${script}: ${pattern}`).not.toMatch(pattern);
    // an empty array expanded under `set -u` fails in bash < 4.4: the only possibly empty one is guarded
    expect(text).not.toMatch(/"\$\{STACK_GATEWAYS\[@\]\}"(?!\})/);
  });
});

describe("update.sh against a real sshd and rsync", () => {
  let sshd: TestSshd | undefined;
  let skipReason = "";
  let realRepo: string;
  let clientTools: string;
  const hadEtcNixos = existsSync("/etc/nixos");

  beforeAll(async () => {
    const started = await TestSshd.start(scratch.dir("sshd"));
    if (typeof started === "string") {
      skipReason = started;
      console.warn(`skipping the real-sshd tests: ${started}`);
      return;
    }
    sshd = started;
    clientTools = toolDir(scratch.dir("client-tools"), [...BASE_TOOLS, "rsync"]);
    realRepo = writeRepo(scratch.dir("real-repo"), vpsInput());
    // what must stay here: the secrets directory, a secret file .gitignore keeps out of git, git's data, a build link
    writeFileSync(join(realRepo, "secrets/gateway.env"), "GATEWAY_TOKEN=s3cret\n");
    writeFileSync(join(realRepo, "secrets/db-password"), "s3cret\n");
    writeFileSync(join(realRepo, "hosts/vps-x86/api.key"), "secret key\n");
    mkdirSync(join(realRepo, ".git"));
    writeFileSync(join(realRepo, ".git/HEAD"), "ref: refs/heads/main\n");
    symlinkSync("/nix/store/00000000000000000000000000000000-nixos-system", join(realRepo, "result"));
    // the tools ./stack.sh installs: never copied to the server
    mkdirSync(join(realRepo, "node_modules/.bin"), { recursive: true });
    writeFileSync(join(realRepo, "node_modules/.bin/nixos-stack-check"), "#!/bin/sh\n");
    // files owned by an ordinary local user (uid 4242), as a laptop's would be
    const chown = spawnSync("chown", ["-R", "-h", "4242:4242", realRepo]);
    expect(chown.status).toBe(0);
    // the server already has a secret of its own under /etc/nixos/secrets and a file no longer in the repo
    sshd.remote("mkdir -p /etc/nixos/secrets && echo on-server > /etc/nixos/secrets/token && echo old > /etc/nixos/stale.nix");
  });

  afterAll(async () => {
    await sshd?.stop();
  });

  function realUpdate(args: string[]) {
    return runScript(join(realRepo, "update.sh"), args, { path: [sshd!.clientBin, clientTools], env: { HOME: home } });
  }

  /** The repo's files, relative, without what update.sh must leave behind. */
  function deployable(): string[] {
    return listFiles(realRepo).filter((f) => !/^(\.git|secrets|node_modules)\/|\.(env|key)$|^result$/.test(f));
  }

  test("copies the repo to /etc/nixos, root-owned, keeps secrets and .git here, then runs nixos-rebuild switch", async (ctx) => {
    if (!sshd) ctx.skip(skipReason);
    const r = await realUpdate(["--host", "127.0.0.1", "--system", "x86", "--port", String(sshd!.port)]);
    expect(r.exitCode, `${r.stderr}\nsshd:\n${sshd!.log()}`).toBe(0);

    const dest = join(sshd!.etcUpper, "nixos");
    const arrived = listFiles(dest);
    // every file of the repo, byte for byte; .nix files among them
    expect(deployable().filter((f) => f.endsWith(".nix")).length).toBeGreaterThan(5);
    for (const file of deployable()) expect(readFileSync(join(dest, file), "utf8"), file).toBe(readFileSync(join(realRepo, file), "utf8"));
    // nothing else but the server's own secret: no secrets/gateway.env, .git, api.key, result, node_modules; stale.nix deleted
    expect(arrived.sort()).toEqual([...deployable(), "secrets/token"].sort());
    expect(readFileSync(join(dest, "secrets/token"), "utf8")).toBe("on-server\n");
    // root builds the system from these files: no other user may own them
    for (const file of [".", "flake.nix", "hosts", "hosts/vps-x86/default.nix"]) {
      const st = lstatSync(join(dest, file));
      expect({ file, uid: st.uid, gid: st.gid }).toEqual({ file, uid: 0, gid: 0 });
    }
    expect(sshd!.rebuildCalls()).toEqual([{ args: ["switch", "--flake", "/etc/nixos#vps-x86"], flakePresent: true }]);
    // and this machine's /etc was not touched
    expect(existsSync("/etc/nixos")).toBe(hadEtcNixos);
  });

  test("--ssh-key with no default key and no agent: refused without it; with it, ssh and rsync's -e log in (a path with a space and a quote)", async (ctx) => {
    if (!sshd) ctx.skip(skipReason);
    sshd!.resetRebuildCalls();
    const keyDir = scratch.dir("real keys");
    const odd = join(keyDir, "it's key");
    writeFileSync(odd, readFileSync(sshd!.clientKey), { mode: 0o600 });
    const keyless = (args: string[]) => runScript(join(realRepo, "update.sh"), args, { path: [sshd!.keylessClientBin, clientTools], env: { HOME: home } });
    const base = ["--host", "127.0.0.1", "--system", "x86", "--port", String(sshd!.port)];

    const refused = await keyless(base);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(/Permission denied \(publickey/);
    expect(sshd!.rebuildCalls()).toEqual([]);

    const r = await keyless([...base, "--ssh-key", odd]);
    expect(r.exitCode, `${r.stderr}\nsshd:\n${sshd!.log()}`).toBe(0);
    expect(readFileSync(join(sshd!.etcUpper, "nixos/flake.nix"), "utf8")).toBe(readFileSync(join(realRepo, "flake.nix"), "utf8"));
    expect(sshd!.rebuildCalls()).toEqual([{ args: ["switch", "--flake", "/etc/nixos#vps-x86"], flakePresent: true }]);
  });

  test("over IPv6 (::1), with --config", async (ctx) => {
    if (!sshd) ctx.skip(skipReason);
    sshd!.resetRebuildCalls();
    writeFileSync(join(realRepo, "hosts/vps-arm/configuration.nix"), "{ ... }: { }\n");
    const r = await realUpdate(["--host", "::1", "--config", "vps-arm", "--port", String(sshd!.port)]);
    expect(r.exitCode, `${r.stderr}\nsshd:\n${sshd!.log()}`).toBe(0);
    expect(readFileSync(join(sshd!.etcUpper, "nixos/hosts/vps-arm/configuration.nix"), "utf8")).toBe("{ ... }: { }\n");
    expect(sshd!.rebuildCalls()).toEqual([{ args: ["switch", "--flake", "/etc/nixos#vps-arm"], flakePresent: true }]);
  });
});

/**
 * How rsync splits its -e string into argv (rsync main.c, do_cmd): on spaces, except inside '...'
 * or "..."; inside, a doubled quote is a literal one; backslashes are literal.
 */
function splitLikeRsync(command: string): string[] {
  const args: string[] = [];
  let i = 0;
  while (i < command.length) {
    if (command[i] === " ") {
      i++;
      continue;
    }
    let arg = "";
    let quote = "";
    while (i < command.length && (command[i] !== " " || quote)) {
      const ch = command[i]!;
      if ((ch === "'" || ch === '"') && !quote) {
        quote = ch;
        i++;
      } else if (ch === quote) {
        if (command[i + 1] === quote) {
          arg += quote;
          i += 2;
        } else {
          quote = "";
          i++;
        }
      } else {
        arg += ch;
        i++;
      }
    }
    args.push(arg);
  }
  return args;
}

/** The output's lines without their indentation. */
function trimmedLines(text: string): string[] {
  return text.split("\n").map((l) => l.trim());
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
