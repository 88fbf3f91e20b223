/**
 * Behaviour tests for the fleet scripts (deploy.sh, deploy-all.sh, rollback.sh, status.sh,
 * discover-targets.sh and deploy/fleet-lib.sh), run for real against recording stand-ins for
 * ssh, nix, rsync, nmap and ip on a PATH that holds nothing else but a few base tools. The
 * stand-ins log their argv, NIX_SSHOPTS and when they ran, so the tests check exact commands
 * and that targets really run at the same time. Every address is a loopback one.
 * The real sshd tests are in fleet-scripts.sshd.test.ts.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { StackInput } from "@nixos-stack/core";
import { Scratch, runScript, toolDir, whichReal, writeRepo } from "./test-support/deploy-repo.js";
import { FLEET_TOOLS, fakeIdDir, fleetInput, type FleetOptions } from "./test-support/fleet-repo.js";
import { TimedStubs, maxOverlap, type Behaviour } from "./test-support/timed-stubs.js";

const NIX = ["nix", "--extra-experimental-features", "nix-command flakes"];
const SLEEP = whichReal("sleep");
const EXCLUDES = [
  ...["--exclude", ".git/", "--exclude", "/secrets/", "--exclude", "*.env", "--exclude", "*.key", "--exclude", "*.age.dec"],
  ...["--exclude", "result", "--exclude", "result-*", "--exclude", ".direnv/"],
];

/** The connectivity test deploy.sh and rollback.sh run first. */
const sshCheck = (login: string, port: number, key?: string) => ["ssh", "-p", String(port), ...(key ? ["-i", key] : []), "-o", "BatchMode=yes", "-o", "ConnectTimeout=5", login, "true"];
/** nixos-rebuild from the flake's devShell. */
const rebuild = (...args: string[]) => [...NIX, "develop", "--command", "nixos-rebuild", ...args];

let scratch: Scratch;
let sys: string;
let home: string;
let stubCount = 0;
const repos = new Map<string, string>();

beforeAll(() => {
  scratch = new Scratch();
  sys = toolDir(scratch.dir("sys"), FLEET_TOOLS);
  home = scratch.dir("home");
});
afterAll(() => scratch?.cleanup());

/** The fleet rendered with these options (once per combination). */
function repo(opts: FleetOptions = {}, change?: (input: StackInput) => void, key = ""): string {
  const id = `${opts.deployer ?? "nixos-rebuild"}-${opts.sudo ?? "nopasswd"}${key}`;
  let dir = repos.get(id);
  if (!dir) {
    const input = fleetInput(opts);
    change?.(input);
    dir = writeRepo(scratch.dir(`repo-${id}`), input);
    repos.set(id, dir);
  }
  return dir;
}

/** Stand-ins that succeed silently, unless a behaviour is given. */
function stubs(behaviours: Record<string, Behaviour>): TimedStubs {
  return new TimedStubs(join(scratch.root, `stubs-${++stubCount}`), behaviours);
}
const quiet = (...names: string[]) => Object.fromEntries(names.map((n) => [n, ""]));

function run(dir: string, script: string, args: string[], s: TimedStubs, opts: { env?: Record<string, string>; path?: string[] } = {}) {
  return runScript(join(dir, script), args, { path: [...(opts.path ?? []), s.bin, sys], env: { HOME: home, ...opts.env } });
}

describe("deploy.sh with Nix here (nixos-rebuild from the flake's devShell)", () => {
  test("tests SSH in batch mode first, then nixos-rebuild --target-host with --sudo for a non-root login and the port in NIX_SSHOPTS", async () => {
    const s = stubs(quiet("ssh", "nix", "rsync"));
    const r = await run(repo(), "deploy.sh", ["lab"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.argv()).toEqual([sshCheck("alice@127.0.0.1", 22), rebuild("switch", "--flake", ".#lab", "--target-host", "alice@127.0.0.1", "--sudo")]);
    const [check, deploy] = s.calls();
    expect(check!.nixSshOpts).toBeUndefined();
    expect(deploy!.nixSshOpts).toBe("-p 22 -o ConnectTimeout=10");
    expect(deploy!.cwd).toBe(repo());
    expect(r.stderr).toContain("deployed lab to 127.0.0.1 (switch)");
  });

  test("a root login gets no --sudo; the port comes from deploy.sshPort", async () => {
    const s = stubs(quiet("ssh", "nix"));
    const r = await run(repo(), "deploy.sh", ["media"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.argv()).toEqual([sshCheck("root@::1", 2222), rebuild("switch", "--flake", ".#media", "--target-host", "root@::1")]);
    expect(s.calls()[1]!.nixSshOpts).toBe("-p 2222 -o ConnectTimeout=10");
  });

  test('sudo "password": --ask-sudo-password (asks once, here), never --sudo alone', async () => {
    const s = stubs(quiet("ssh", "nix"));
    const r = await run(repo({ sudo: "password" }), "deploy.sh", ["desk"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.argv().at(-1)).toEqual(rebuild("switch", "--flake", ".#desk", "--target-host", "alice@127.0.0.1", "--ask-sudo-password"));
    // a root login needs no sudo at all, password or not
    const s2 = stubs(quiet("ssh", "nix"));
    await run(repo({ sudo: "password" }), "deploy.sh", ["nas"], s2);
    expect(s2.argv().at(-1)).toEqual(rebuild("switch", "--flake", ".#nas", "--target-host", "root@127.0.0.1"));
  });

  test("the address argument, --port, --user and --ssh-key override the manifest in every command", async () => {
    const key = join(scratch.dir("keys"), "id_fleet");
    writeFileSync(key, "not a key\n", { mode: 0o600 });
    const s = stubs(quiet("ssh", "nix"));
    const r = await run(repo(), "deploy.sh", ["lab", "::1", "--port", "2022", "--user", "bob", "--ssh-key", key], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.argv()).toEqual([sshCheck("bob@::1", 2022, key), rebuild("switch", "--flake", ".#lab", "--target-host", "bob@::1", "--sudo")]);
    expect(s.calls()[1]!.nixSshOpts).toBe(`-p 2022 -i ${key} -o ConnectTimeout=10`);
  });

  test("a target without deploy.address is reached by its name (DNS or ~/.ssh/config, as colmena does)", async () => {
    const dir = repo({}, (input) => delete (input.hosts[0]!.deploy as { address?: string }).address, "-no-address");
    const s = stubs(quiet("ssh", "nix"));
    const r = await run(dir, "deploy.sh", ["lab"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.argv()[0]).toEqual(sshCheck("alice@lab", 22));
  });

  test.each([
    [["--action", "boot"], ["boot", "--flake", ".#lab", "--target-host", "alice@127.0.0.1", "--sudo"]],
    [["--action", "test"], ["test", "--flake", ".#lab", "--target-host", "alice@127.0.0.1", "--sudo"]],
    [["--action", "dry-activate"], ["dry-activate", "--flake", ".#lab", "--target-host", "alice@127.0.0.1", "--sudo"]],
    [["--build-host", "target"], ["switch", "--flake", ".#lab", "--target-host", "alice@127.0.0.1", "--build-host", "alice@127.0.0.1", "--sudo"]],
    [["--build-host", "builder@::1"], ["switch", "--flake", ".#lab", "--target-host", "alice@127.0.0.1", "--build-host", "builder@::1", "--sudo"]],
  ])("%j → nixos-rebuild %j", async (flags, args) => {
    const s = stubs(quiet("ssh", "nix"));
    const r = await run(repo(), "deploy.sh", [...flags, "lab"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.argv().at(-1)).toEqual(rebuild(...args));
  });

  test("localhost deploys this machine: no SSH, no --target-host; --sudo unless run as root", async () => {
    const s = stubs(quiet("ssh", "nix"));
    const r = await run(repo(), "deploy.sh", ["lab", "localhost"], s, { path: [fakeIdDir(scratch.dir("uid0"), 0)] });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.argv()).toEqual([rebuild("switch", "--flake", ".#lab")]);
    expect(s.calls()[0]!.nixSshOpts).toBeUndefined();

    const s2 = stubs(quiet("ssh", "nix"));
    const r2 = await run(repo({ sudo: "password" }), "deploy.sh", ["lab", "localhost"], s2, { path: [fakeIdDir(scratch.dir("uid1000"), 1000)] });
    expect(r2.exitCode, r2.stderr).toBe(0);
    expect(s2.argv()).toEqual([rebuild("switch", "--flake", ".#lab", "--ask-sudo-password")]);
  });

  test("localhost without Nix here: exit 2, nothing run", async () => {
    const s = stubs(quiet("ssh", "rsync"));
    const r = await run(repo(), "deploy.sh", ["lab", "localhost"], s);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("deploying localhost needs Nix on this machine");
    expect(s.calls()).toEqual([]);
  });

  test("a failing nixos-rebuild is the script's status", async () => {
    const s = stubs({ ssh: "", nix: "code=5" });
    const r = await run(repo(), "deploy.sh", ["lab"], s);
    expect(r.exitCode).toBe(5);
    expect(r.stderr).not.toContain("deployed lab");
  });
});

describe("deploy.sh with deploy-rs and colmena (run from the flake with nix run)", () => {
  test("deploy-rs: deploy .#TARGET with the address, login and port of the manifest", async () => {
    const s = stubs(quiet("ssh", "nix"));
    const r = await run(repo({ deployer: "deploy-rs" }), "deploy.sh", ["desk"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.argv()).toEqual([
      sshCheck("alice@127.0.0.1", 2200),
      [...NIX, "run", ".#deploy-rs", "--", "--hostname", "127.0.0.1", "--ssh-user", "alice", "--ssh-opts", "-p 2200", ".#desk"],
    ]);
    // deploy-rs falls back to flake-less mode unless the nix it runs has flakes on; the user's NIX_CONFIG stays
    expect(s.calls()[1]!.nixConfig).toBe("extra-experimental-features = nix-command flakes");
    const s2 = stubs(quiet("ssh", "nix"));
    await run(repo({ deployer: "deploy-rs" }), "deploy.sh", ["desk"], s2, { env: { NIX_CONFIG: "max-jobs = 2" } });
    expect(s2.calls()[1]!.nixConfig).toBe("max-jobs = 2\nextra-experimental-features = nix-command flakes");
  });

  test("deploy-rs: boot, dry-activate, build on the target, a sudo password, --skip-checks", async () => {
    const s = stubs(quiet("ssh", "nix"));
    await run(repo({ deployer: "deploy-rs", sudo: "password" }), "deploy.sh", ["--action", "boot", "--build-host", "target", "--skip-checks", "lab"], s);
    await run(repo({ deployer: "deploy-rs", sudo: "password" }), "deploy.sh", ["--action", "dry-activate", "nas"], s);
    expect(s.argv().filter((a) => a[0] === "nix")).toEqual([
      [...NIX, "run", ".#deploy-rs", "--", "--skip-checks", "--boot", "--remote-build", "--hostname", "127.0.0.1", "--ssh-user", "alice", "--ssh-opts", "-p 22", "--interactive-sudo", "true", ".#lab"],
      [...NIX, "run", ".#deploy-rs", "--", "--dry-activate", "--hostname", "127.0.0.1", "--ssh-user", "root", "--ssh-opts", "-p 2201", ".#nas"],
    ]);
  });

  test("deploy-rs has no test action: exit 2 naming the ones it has", async () => {
    const s = stubs(quiet("ssh", "nix"));
    const r = await run(repo({ deployer: "deploy-rs" }), "deploy.sh", ["--action", "test", "lab"], s);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("--action test: deploy-rs has no such action; use switch, boot or dry-activate");
    expect(s.calls()).toEqual([]);
  });

  test("colmena: colmena apply ACTION --on TARGET, building on the target with --build-on-target", async () => {
    const s = stubs(quiet("ssh", "nix"));
    const r = await run(repo({ deployer: "colmena" }), "deploy.sh", ["--action", "test", "--build-host", "target", "media"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.argv()).toEqual([sshCheck("root@::1", 2222), [...NIX, "run", ".#colmena", "--", "apply", "test", "--on", "media", "--build-on-target"]]);
  });

  test("colmena reads the address from its hive: another address is refused, the manifest's is fine", async () => {
    const s = stubs(quiet("ssh", "nix"));
    const r = await run(repo({ deployer: "colmena" }), "deploy.sh", ["media", "127.0.0.1"], s);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("colmena deploys to the address in its hive (media: ::1)");
    expect(s.calls()).toEqual([]);
    const r2 = await run(repo({ deployer: "colmena" }), "deploy.sh", ["media", "::1"], s);
    expect(r2.exitCode, r2.stderr).toBe(0);
  });

  test("colmena --ssh-key: an ssh_config of the run (SSH_CONFIG_FILE) offers exactly that key, then includes the usual configs; removed afterwards", async () => {
    const key = join(scratch.dir("keys"), "fleet key");
    writeFileSync(key, "not a real key\n");
    const s = stubs({ ssh: "", nix: 'printf "%s\\n" "$SSH_CONFIG_FILE" >"$0.path"; cat "$SSH_CONFIG_FILE" >"$0.config"' });
    const r = await run(repo({ deployer: "colmena" }), "deploy.sh", ["--ssh-key", key, "media"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    const [check, deploy] = s.argv();
    expect(check).toEqual(sshCheck("root@::1", 2222, key));
    const path = readFileSync(join(s.bin, "nix.path"), "utf8").trim();
    // (env, a real tool here, sets SSH_CONFIG_FILE for the nix stand-in and is not recorded)
    expect(deploy).toEqual([...NIX, "run", ".#colmena", "--", "apply", "switch", "--on", "media"]);
    expect(r.stderr).toContain(`env SSH_CONFIG_FILE=${path} nix`);
    expect(readFileSync(join(s.bin, "nix.config"), "utf8").split("\n").filter((l) => !l.startsWith("#"))).toEqual([
      `IdentityFile "${key}"`,
      "IdentitiesOnly yes",
      "Include ~/.ssh/config",
      "Include /etc/ssh/ssh_config",
      "",
    ]);
    expect(existsSync(path)).toBe(false);
    // the hive keeps the user and port
    const r2 = await run(repo({ deployer: "colmena" }), "deploy.sh", ["--port", "2300", "media"], s);
    expect(r2.exitCode).toBe(2);
    expect(r2.stderr).toContain("colmena reads the SSH user and port from its hive");
  });

  test("localhost with deploy-rs or colmena activates with the pinned nixos-rebuild", async () => {
    const s = stubs(quiet("ssh", "nix"));
    const r = await run(repo({ deployer: "colmena" }), "deploy.sh", ["nas", "localhost"], s, { path: [fakeIdDir(scratch.dir("uid0-b"), 0)] });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.argv()).toEqual([rebuild("switch", "--flake", ".#nas")]);
  });
});

describe("deploy.sh without Nix here: rsync the repo, build on the target (as update.sh)", () => {
  const rsync = (dir: string, dest: string, port: number) => ["rsync", "-rlptz", "--delete", ...EXCLUDES, "--rsync-path", `mkdir -p ${dir} && rsync`, "-e", `ssh -p ${port} -o ConnectTimeout=10`, "./", dest];

  test("root: to /etc/nixos, then nixos-rebuild there", async () => {
    const s = stubs(quiet("ssh", "rsync"));
    const r = await run(repo(), "deploy.sh", ["media"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.argv()).toEqual([
      sshCheck("root@::1", 2222),
      rsync("/etc/nixos", "root@[::1]:/etc/nixos/", 2222),
      ["ssh", "-p", "2222", "-o", "ConnectTimeout=10", "root@::1", "cd /etc/nixos && nixos-rebuild switch --flake .#media"],
    ]);
    expect(s.calls()[1]!.cwd).toBe(repo());
  });

  test("another user: to a directory in their home, then sudo nixos-rebuild; sudo -S reading the password given here when sudo asks for one", async () => {
    const s = stubs(quiet("ssh", "rsync"));
    const r = await run(repo(), "deploy.sh", ["--action", "boot", "desk"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.argv().slice(1)).toEqual([
      rsync(".cache/nixos-stack/lan", "alice@127.0.0.1:.cache/nixos-stack/lan/", 2200),
      ["ssh", "-p", "2200", "-o", "ConnectTimeout=10", "alice@127.0.0.1", "cd .cache/nixos-stack/lan && sudo nixos-rebuild boot --flake .#desk"],
    ]);
    // the password on the deploy's stdin (as deploy-all.sh gives it); no terminal needed there (no ssh -t)
    const s2 = stubs({ ssh: 'case "$*" in *nixos-rebuild*) IFS= read -r line; printf "%s" "$line" >"$0.stdin" ;; esac', rsync: "" });
    const r2 = await runScript(join(repo({ sudo: "password" }), "deploy.sh"), ["--sudo-password-stdin", "desk"], { path: [s2.bin, sys], env: { HOME: home }, input: "s3cret pw\n" });
    expect(r2.exitCode, r2.stderr).toBe(0);
    expect(s2.argv().at(-1)).toEqual(["ssh", "-p", "2200", "-o", "ConnectTimeout=10", "alice@127.0.0.1", "cd .cache/nixos-stack/lan && sudo -S -p '' nixos-rebuild switch --flake .#desk"]);
    expect(readFileSync(join(s2.bin, "ssh.stdin"), "utf8")).toBe("s3cret pw");
    expect(r2.stderr).not.toContain("s3cret");
    // no terminal and no --sudo-password-stdin: refused before anything runs
    const s3 = stubs(quiet("ssh", "rsync"));
    const r3 = await run(repo({ sudo: "password" }), "deploy.sh", ["desk"], s3);
    expect(r3.exitCode).toBe(2);
    expect(r3.stderr).toContain('sudo asks for a password on the targets (sudo: "password" in nixos-stack.json): desk; run this in a terminal, give it on stdin with --sudo-password-stdin, or set sudo to "nopasswd"');
    expect(s3.calls()).toEqual([]);
    // with Nix here the pinned nixos-rebuild asks itself: the option is refused there
    const s4 = stubs(quiet("ssh", "nix"));
    const r4 = await run(repo({ sudo: "password" }), "deploy.sh", ["--sudo-password-stdin", "desk"], s4);
    expect(r4.exitCode).toBe(2);
    expect(r4.stderr).toContain("--sudo-password-stdin is for deploys without Nix here");
  });

  test("deploy-rs without Nix here says so and deploys the rsync way", async () => {
    const s = stubs(quiet("ssh", "rsync"));
    const r = await run(repo({ deployer: "deploy-rs" }), "deploy.sh", ["nas"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain("note: no nix here, so no deploy-rs: copying the repo to nas and running nixos-rebuild there");
    expect(s.argv().map((a) => a[0])).toEqual(["ssh", "rsync", "ssh"]);
  });

  test("the commit being deployed goes to .nixos-stack/revision on the target, for status.sh", async () => {
    const dir = repo({}, undefined, "-git");
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], { cwd: dir, encoding: "utf8" }).trim();
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "fleet");
    const head = git("rev-parse", "HEAD");
    const s = stubs(quiet("ssh", "rsync"));
    const gitTools = toolDir(scratch.dir("git-tools"), ["git"]);
    const r = await run(dir, "deploy.sh", ["nas"], s, { path: [gitTools] });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.argv().at(-1)!.at(-1)).toBe(`cd /etc/nixos && printf '%s\\n' ${head} > .nixos-stack/revision && nixos-rebuild switch --flake .#nas`);
    // uncommitted changes: Nix's dirtyRev form
    writeFileSync(join(dir, "targets/nas/configuration.nix"), "{ ... }: { }\n");
    const s2 = stubs(quiet("ssh", "rsync"));
    await run(dir, "deploy.sh", ["nas"], s2, { path: [gitTools] });
    expect(s2.argv().at(-1)!.at(-1)).toContain(`printf '%s\\n' ${head}-dirty > .nixos-stack/revision`);
  });

  test("a failed copy stops before nixos-rebuild", async () => {
    const s = stubs({ ssh: "", rsync: "code=23" });
    const r = await run(repo(), "deploy.sh", ["nas"], s);
    expect(r.exitCode).toBe(23);
    expect(s.argv().map((a) => a[0])).toEqual(["ssh", "rsync"]);
  });

  test("--build-host HOST needs Nix here: exit 2", async () => {
    const s = stubs(quiet("ssh", "rsync"));
    const r = await run(repo(), "deploy.sh", ["--build-host", "builder@::1", "nas"], s);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("--build-host builder@::1 needs Nix on this machine");
    expect(s.calls()).toEqual([]);
  });
});

describe("deploy.sh when SSH fails: exit 3 in seconds, with what to check", () => {
  test.each([
    ["ssh: connect to host 127.0.0.1 port 2201: Connection refused", "nothing listens on port 2201 there: is sshd running, and on that port?"],
    ["ssh: connect to host 127.0.0.1 port 2201: Connection timed out", "no answer from 127.0.0.1: is the machine on, on this network, and is the address right?"],
    ["root@127.0.0.1: Permission denied (publickey).", "the login was refused: does user root exist there with your public key?"],
    ["Host key verification failed.", "its host key is unknown or has changed: connect once by hand"],
  ])("%s", async (message, cause) => {
    const s = stubs({ ssh: `printf '%s\\n' ${JSON.stringify(message)} >&2; code=255`, nix: "", rsync: "" });
    const r = await run(repo(), "deploy.sh", ["nas"], s);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain(`error: cannot reach root@127.0.0.1 over SSH (port 2201): ${message}`);
    expect(r.stderr).toContain(`likely: ${cause}`);
    expect(r.stderr).toContain("check:  reachability (ping 127.0.0.1), sshd listening on port 2201, user root, your key in its authorized keys");
    // only the check ran: nothing was deployed
    expect(s.argv().map((a) => a[0])).toEqual(["ssh"]);
  });
});

describe("deploy.sh bad usage: exit 2, the usage and the problem, nothing run", () => {
  test.each([
    ["no target", [], /missing <target>: one of lab media desk nas/],
    ["an unknown target", ["web"], /unknown target: web \(targets: lab media desk nas\)/],
    ["too many arguments", ["lab", "127.0.0.1", "extra"], /too many arguments: extra/],
    ["an unknown action", ["--action", "reboot", "lab"], /--action reboot: use switch, boot, test or dry-activate/],
    ["an unknown option", ["--fast", "lab"], /unknown option: --fast/],
    ["--port 0", ["--port", "0", "lab"], /--port 0: not a port number/],
    ["--user Bob", ["--user", "Bob", "lab"], /--user Bob: not a user name/],
    ["--action without a value", ["lab", "--action"], /--action needs a value/],
    ["a missing key file", ["--ssh-key", "/nonexistent/id", "lab"], /--ssh-key \/nonexistent\/id: no such file/],
  ])("%s", async (_name, args, message) => {
    const s = stubs(quiet("ssh", "nix", "rsync"));
    const r = await run(repo(), "deploy.sh", args, s);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(s.calls()).toEqual([]);
  });
});

describe("deploy-all.sh", () => {
  /** nix sleeps (the deploy), ssh (the check) answers at once. */
  const slowDeploys = (seconds: number) => ({ ssh: "", nix: `${SLEEP} ${seconds}` });
  const deploys = (s: TimedStubs) => s.calls().filter((c) => c.cmd === "nix");
  const targetOf = (args: string[]) => args.find((a) => a.startsWith(".#"))!.slice(2);

  test("-j 3 deploys three targets at the same time (their deploys overlap)", async () => {
    const s = stubs(slowDeploys(1.5));
    const r = await run(repo(), "deploy-all.sh", ["-j", "3", "lab", "media", "desk"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    const calls = deploys(s);
    expect(calls.map((c) => targetOf(c.args)).sort()).toEqual(["desk", "lab", "media"]);
    // every deploy started before any ended: all three ran at once, not one after another
    expect(Math.max(...calls.map((c) => c.start))).toBeLessThan(Math.min(...calls.map((c) => c.end)));
    expect(maxOverlap(calls)).toBe(3);
  });

  test("-j 2 never runs more than two at once, and does run two", async () => {
    const s = stubs(slowDeploys(1));
    const r = await run(repo(), "deploy-all.sh", ["-j", "2"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    const calls = s.calls();
    expect(deploys(s)).toHaveLength(4);
    // peak: stand-ins running when each started (checks included); overlap: from the intervals
    expect(Math.max(...calls.map((c) => c.peak))).toBe(2);
    expect(maxOverlap(calls)).toBe(2);
  });

  test("-j 1 deploys one after another", async () => {
    const s = stubs(slowDeploys(0.3));
    const r = await run(repo(), "deploy-all.sh", ["-j", "1", "lab", "nas"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(maxOverlap(s.calls())).toBe(1);
  });

  test("one failing target never stops the others; exit 1 with the failed target in the summary", async () => {
    const logs = join(scratch.root, "logs-failing");
    const s = stubs({ ssh: "", nix: `case "$*" in *.#desk*) echo "error: build of desk failed"; code=4 ;; esac` });
    const r = await run(repo(), "deploy-all.sh", ["--log-dir", logs], s);
    expect(r.exitCode).toBe(1);
    expect(deploys(s).map((c) => targetOf(c.args)).sort()).toEqual(["desk", "lab", "media", "nas"]);
    const rows = r.stdout.trim().split("\n");
    expect(rows[0]).toMatch(/^TARGET +RESULT +DURATION +LOG$/);
    expect(rows.slice(1).map((row) => row.split(/ {2,}/))).toEqual([
      ["lab", "ok", expect.stringMatching(/^\d+s$/), join(logs, "lab.log")],
      ["media", "ok", expect.stringMatching(/^\d+s$/), join(logs, "media.log")],
      ["desk", "FAILED (exit 4)", expect.stringMatching(/^\d+s$/), join(logs, "desk.log")],
      ["nas", "ok", expect.stringMatching(/^\d+s$/), join(logs, "nas.log")],
    ]);
    expect(r.stderr).toContain("1 of 4 failed: desk");
    // one log per target, with that target's own output
    expect(readFileSync(join(logs, "desk.log"), "utf8")).toContain("error: build of desk failed");
    expect(readFileSync(join(logs, "lab.log"), "utf8")).toContain("deployed lab to 127.0.0.1 (switch)");
    expect(readFileSync(join(logs, "lab.log"), "utf8")).not.toContain("desk");
  });

  test("an unreachable target is reported as such and the others are deployed", async () => {
    const s = stubs({ ssh: `case "$*" in *"-p 2222"*) echo "ssh: connect to host ::1 port 2222: Connection refused" >&2; code=255 ;; esac`, nix: "" });
    const r = await run(repo(), "deploy-all.sh", [], s);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^media +FAILED \(unreachable\) /m);
    expect(deploys(s).map((c) => targetOf(c.args)).sort()).toEqual(["desk", "lab", "nas"]);
  });

  test("the logs go to a new directory outside the repo by default, named in the summary", async () => {
    const s = stubs(quiet("ssh", "nix"));
    const tmp = scratch.dir("tmp");
    const r = await run(repo(), "deploy-all.sh", ["nas"], s, { env: { TMPDIR: tmp } });
    expect(r.exitCode, r.stderr).toBe(0);
    const log = /^nas +ok +\S+ +(\S+)$/m.exec(r.stdout)?.[1];
    expect(log).toMatch(new RegExp(`^${tmp}/lan-deploy-all\\.[A-Za-z0-9]+/nas\\.log$`));
    expect(existsSync(log!)).toBe(true);
  });

  test.each([
    ["--tag lab", ["--tag", "lab"], ["lab", "media"]],
    ["--tag and a name", ["--tag", "desk", "nas"], ["desk", "nas"]],
    ["names", ["nas", "lab"], ["lab", "nas"]],
  ])("%s selects %j", async (_name, args, targets) => {
    const s = stubs(quiet("ssh", "nix"));
    const r = await run(repo(), "deploy-all.sh", args, s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(deploys(s).map((c) => targetOf(c.args)).sort()).toEqual(targets);
  });

  test("--action and --build-host reach every target's deploy", async () => {
    const s = stubs(quiet("ssh", "nix"));
    const r = await run(repo(), "deploy-all.sh", ["--action", "boot", "--build-host", "target", "media"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.argv().at(-1)).toEqual(rebuild("boot", "--flake", ".#media", "--target-host", "root@::1", "--build-host", "root@::1"));
  });

  test.each([
    ["an unknown target", ["web"], /unknown target: web \(targets: lab media desk nas\)/, true],
    ["a tag no target has", ["--tag", "gpu"], /--tag gpu: no target has this tag .*tags in use: lab always-on desk\)/, true],
    ["an unknown action", ["--action", "reboot"], /--action reboot: use switch, boot, test or dry-activate/, true],
    ["--native with nixos-rebuild", ["--native"], /--native hands the targets to deploy-rs or colmena; this fleet deploys with nixos-rebuild/, true],
    ["-j 0", ["-j", "0"], /-j 0: use a number of targets at once/, false],
    ["-j without a value", ["-j"], /-j needs a value/, false],
  ])("bad usage, %s: exit 2, nothing run", async (_name, args, message, withUsage) => {
    const s = stubs(quiet("ssh", "nix"));
    const r = await run(repo(), "deploy-all.sh", args, s);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
    // a wrong name shows the usage too; a bad flag value is named alone
    expect(r.stderr.includes("Usage: ./deploy-all.sh")).toBe(withUsage);
    expect(s.calls()).toEqual([]);
  });

  test("deploy-rs: the flake's checks once, then every deploy with --skip-checks", async () => {
    const s = stubs(quiet("ssh", "nix"));
    const r = await run(repo({ deployer: "deploy-rs" }), "deploy-all.sh", ["--tag", "lab"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    const nix = s.argv().filter((a) => a[0] === "nix");
    expect(nix[0]).toEqual([...NIX, "flake", "check"]);
    expect(nix.slice(1).map((a) => [a.includes("--skip-checks"), a.at(-1)]).sort()).toEqual([
      [true, ".#lab"],
      [true, ".#media"],
    ]);
  });

  test("--native with colmena: one colmena apply --on @tag,names --parallel N", async () => {
    const s = stubs(quiet("ssh", "nix"));
    const r = await run(repo({ deployer: "colmena" }), "deploy-all.sh", ["--native", "-j", "3", "--tag", "lab", "nas"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.argv()).toEqual([[...NIX, "run", ".#colmena", "--", "apply", "switch", "--parallel", "3", "--on", "@lab,nas"]]);
    const s2 = stubs(quiet("ssh", "nix"));
    await run(repo({ deployer: "colmena" }), "deploy-all.sh", ["--native", "--action", "boot"], s2);
    expect(s2.argv()).toEqual([[...NIX, "run", ".#colmena", "--", "apply", "boot", "--parallel", "4"]]);
  });

  test("--native --ssh-key reaches the deployer: colmena through SSH_CONFIG_FILE, deploy-rs through --ssh-opts", async () => {
    const key = join(scratch.dir("keys"), "native_key");
    writeFileSync(key, "not a real key\n");
    const s = stubs({ ssh: "", nix: 'cat "$SSH_CONFIG_FILE" >"$0.config"' });
    const r = await run(repo({ deployer: "colmena" }), "deploy-all.sh", ["--native", "--ssh-key", key, "lab"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(readFileSync(join(s.bin, "nix.config"), "utf8")).toContain(`IdentityFile "${key}"\nIdentitiesOnly yes\n`);
    const s2 = stubs(quiet("ssh", "nix"));
    const r2 = await run(repo({ deployer: "deploy-rs" }), "deploy-all.sh", ["--native", "--ssh-key", key, "lab"], s2);
    expect(r2.exitCode, r2.stderr).toBe(0);
    expect(s2.argv()).toEqual([[...NIX, "run", ".#deploy-rs", "--", "--ssh-opts", `-i ${key}`, "--targets", ".#lab"]]);
  });

  test("--native with deploy-rs: one deploy --targets with every selected target", async () => {
    const s = stubs(quiet("ssh", "nix"));
    const r = await run(repo({ deployer: "deploy-rs", sudo: "password" }), "deploy-all.sh", ["--native", "--tag", "lab"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    // lab logs in as alice: sudo asks for her password
    expect(s.argv()).toEqual([[...NIX, "run", ".#deploy-rs", "--", "--interactive-sudo", "true", "--targets", ".#lab", ".#media"]]);
  });

  test('sudo "password" without a terminal: refuses before deploying anything', async () => {
    const s = stubs(quiet("ssh", "nix"));
    const r = await run(repo({ sudo: "password" }), "deploy-all.sh", ["lab", "nas"], s);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('sudo asks for a password on the targets (sudo: "password" in nixos-stack.json): run this in a terminal');
    expect(s.calls()).toEqual([]);
    // root logins need no password: those go ahead
    const r2 = await run(repo({ sudo: "password" }), "deploy-all.sh", ["media", "nas"], s);
    expect(r2.exitCode, r2.stderr).toBe(0);
  });

  const haveScript = spawnSync("/bin/sh", ["-c", "command -v script"]).status === 0;
  test.skipIf(!haveScript)('sudo "password" in a terminal: one target at a time, the output (the prompt) shown here and logged', async () => {
    const s = stubs({ ssh: "", nix: `echo "[sudo] password for alice:"; ${SLEEP} 0.3` });
    const dir = repo({ sudo: "password" });
    const command = ["exec", join(dir, "deploy-all.sh"), "-j", "4", "--log-dir", join(scratch.root, "logs-password"), "lab", "desk"].map((w) => `'${w}'`).join(" ");
    const r = await runScript(whichReal("script"), ["-qec", command, "/dev/null"], { path: [s.bin, sys], cwd: dir, env: { HOME: home, SHELL: whichReal("bash") } });
    expect(r.exitCode, r.stdout).toBe(0);
    expect(r.stdout).toContain("note: sudo asks for a password on each target, so they are deployed one at a time");
    expect(r.stdout).toContain("[sudo] password for alice:");
    expect(maxOverlap(deploys(s))).toBe(1);
    expect(readFileSync(join(scratch.root, "logs-password/desk.log"), "utf8")).toContain("[sudo] password for alice:");
  });

  test("--dry-run prints each target's commands and runs nothing", async () => {
    const s = stubs(quiet("ssh", "nix"));
    const r = await run(repo(), "deploy-all.sh", ["--dry-run", "--tag", "lab"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.calls()).toEqual([]);
    expect(r.stderr).toContain("# lab\nssh -p 22 -o BatchMode=yes -o ConnectTimeout=5 alice@127.0.0.1 true\n");
    expect(r.stderr).toContain("nixos-rebuild switch --flake .#media --target-host root@::1");
  });
});

describe("rollback.sh", () => {
  test("--all: nixos-rebuild switch --rollback on every target (sudo for non-root logins), in parallel, with a summary", async () => {
    const s = stubs({ ssh: `case "$*" in *" true") ;; *) ${SLEEP} 1 ;; esac` });
    const r = await run(repo(), "rollback.sh", ["--all"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    const rollbacks = s.calls().filter((c) => c.args.at(-1) !== "true");
    expect(rollbacks.map((c) => c.args).sort()).toEqual(
      [
        ["-p", "22", "-o", "ConnectTimeout=10", "alice@127.0.0.1", "sudo nixos-rebuild switch --rollback"],
        ["-p", "2222", "-o", "ConnectTimeout=10", "root@::1", "nixos-rebuild switch --rollback"],
        ["-p", "2200", "-o", "ConnectTimeout=10", "alice@127.0.0.1", "sudo nixos-rebuild switch --rollback"],
        ["-p", "2201", "-o", "ConnectTimeout=10", "root@127.0.0.1", "nixos-rebuild switch --rollback"],
      ].sort(),
    );
    expect(maxOverlap(rollbacks)).toBe(4);
    expect(r.stdout.trim()).toMatch(/^TARGET +RESULT +DURATION +LOG\nlab +ok .*\nmedia +ok .*\ndesk +ok .*\nnas +ok /);
    expect(r.stderr).toContain("all 4 succeeded");
  });

  test("a failed rollback never stops the others; exit 1 naming it", async () => {
    const s = stubs({ ssh: `case "$*" in *"root@::1 nixos-rebuild"*) echo "error: no previous generation" >&2; code=1 ;; esac` });
    const r = await run(repo(), "rollback.sh", ["--tag", "lab", "nas"], s);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^media +FAILED \(exit 1\) /m);
    expect(r.stdout).toMatch(/^lab +ok /m);
    expect(r.stdout).toMatch(/^nas +ok /m);
    expect(r.stderr).toContain("1 of 3 failed: media");
  });

  test('sudo "password": sudo -S -p \'\' reads it from stdin (no ssh -t); a dry run asks for nothing', async () => {
    const s = stubs(quiet("ssh"));
    const r = await run(repo({ sudo: "password" }), "rollback.sh", ["--dry-run", "lab"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain("ssh -p 22 -o ConnectTimeout=10 alice@127.0.0.1 sudo\\ -S\\ -p\\ \\'\\'\\ nixos-rebuild\\ switch\\ --rollback");
    expect(r.stderr).not.toContain("sudo password for");
    expect(s.calls()).toEqual([]);
  });

  test('sudo "password" without a terminal or --sudo-password-stdin: refuses before rolling back anything; root logins need none', async () => {
    const s = stubs(quiet("ssh"));
    const r = await run(repo({ sudo: "password" }), "rollback.sh", ["lab", "desk", "nas"], s);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('sudo asks for a password on the targets (sudo: "password" in nixos-stack.json): lab desk; run this in a terminal');
    expect(s.calls()).toEqual([]);
    const r2 = await run(repo({ sudo: "password" }), "rollback.sh", ["media", "nas"], s);
    expect(r2.exitCode, r2.stderr).toBe(0);
  });

  test.each([
    ["nothing named", [], /name the targets to roll back \(one of lab media desk nas\), or --tag T, or --all/],
    ["--all with a name", ["--all", "lab"], /--all rolls back every target: leave out the names and --tag/],
    ["an unknown target", ["web"], /unknown target: web/],
  ])("bad usage, %s: exit 2, nothing run", async (_name, args, message) => {
    const s = stubs(quiet("ssh"));
    const r = await run(repo(), "rollback.sh", args, s);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(s.calls()).toEqual([]);
  });
});

describe("status.sh", () => {
  let dir: string;
  let head: string;
  let previous: string;
  let gitTools: string;
  const ORPHAN = "0123456789abcdef0123456789abcdef01234567";

  beforeAll(() => {
    dir = repo({}, undefined, "-status");
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], { cwd: dir, encoding: "utf8" }).trim();
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "first");
    previous = git("rev-parse", "HEAD");
    writeFileSync(join(dir, "targets/lab/configuration.nix"), "{ ... }: { }\n");
    git("commit", "-qam", "second");
    head = git("rev-parse", "HEAD");
    gitTools = toolDir(scratch.dir("git-tools-status"), ["git"]);
  });

  /** What each target's probe answers: lab runs HEAD, media the commit before, desk is down, nas a commit this clone lacks. */
  function fleetProbe(): Behaviour {
    const answer = (rev: string, generation: number, failed: number) =>
      `printf 'version={"configurationRevision":"%s","nixosVersion":"26.05.20260501.abcdef0","nixpkgsRevision":"abcdef0"}\\ngeneration=system-%s-link\\ndate=2026-05-0%s 12:34\\nfailed=%s\\n' ${rev} ${generation} ${generation % 9} ${failed}`;
    return `case "$*" in
      *"-p 22 "*) ${answer(head, 41, 0)} ;;
      *"-p 2222 "*) ${answer(previous, 17, 2)} ;;
      *"-p 2200 "*) echo "ssh: connect to host 127.0.0.1 port 2200: Connection refused" >&2; code=255 ;;
      *"-p 2201 "*) ${answer(ORPHAN, 3, 0)} ;;
    esac`;
  }

  test("one table: up to date, behind, unreachable and unknown targets; exit 1 because one was unreachable", async () => {
    const s = stubs({ ssh: fleetProbe() });
    const r = await run(dir, "status.sh", [], s, { path: [gitTools] });
    expect(r.exitCode, r.stderr).toBe(1);
    const rows = r.stdout.split("\n").slice(0, 5).map((row) => row.split(/ {2,}/));
    expect(rows).toEqual([
      ["TARGET", "ADDRESS", "REACHABLE", "COMMIT", "STATE", "GENERATION", "FAILED"],
      ["lab", "127.0.0.1", "yes", head.slice(0, 12), "up to date", "41 (2026-05-05 12:34)", "0"],
      ["media", "::1", "yes", previous.slice(0, 12), "behind", "17 (2026-05-08 12:34)", "2"],
      ["desk", "127.0.0.1", "no", "-", "unknown", "-", "-"],
      ["nas", "127.0.0.1", "yes", ORPHAN.slice(0, 12), "unknown", "3 (2026-05-03 12:34)", "0"],
    ]);
    expect(r.stdout).toContain(`this repo: ${head}`);
    // the probe runs in batch mode with a short timeout, as the login user (no sudo)
    expect(s.argv().find((a) => a.includes("alice@127.0.0.1") && a[2] === "22")!.slice(0, 7)).toEqual(["ssh", "-p", "22", "-o", "BatchMode=yes", "-o", "ConnectTimeout=5"]);
  });

  test("--json: the same facts as a JSON array", async () => {
    const s = stubs({ ssh: fleetProbe() });
    const r = await run(dir, "status.sh", ["--json"], s, { path: [gitTools] });
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual([
      { target: "lab", address: "127.0.0.1", reachable: true, revision: head, state: "up to date", generation: 41, generationDate: "2026-05-05 12:34", failedUnits: 0 },
      { target: "media", address: "::1", reachable: true, revision: previous, state: "behind", generation: 17, generationDate: "2026-05-08 12:34", failedUnits: 2 },
      { target: "desk", address: "127.0.0.1", reachable: false, revision: null, state: "unknown", generation: null, generationDate: null, failedUnits: null },
      { target: "nas", address: "127.0.0.1", reachable: true, revision: ORPHAN, state: "unknown", generation: 3, generationDate: "2026-05-03 12:34", failedUnits: 0 },
    ]);
  });

  test("--tag selects; every target reachable is exit 0; a revision built from uncommitted changes is unknown", async () => {
    const s = stubs({
      ssh: `printf 'version={"configurationRevision":"%s-dirty"}\\ngeneration=system-5-link\\ndate=2026-05-01 08:00\\nfailed=0\\n' ${head}`,
    });
    const r = await run(dir, "status.sh", ["--tag", "lab", "--json"], s, { path: [gitTools] });
    expect(r.exitCode, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { target: string; revision: string; state: string }[];
    expect(report.map((t) => [t.target, t.revision, t.state])).toEqual([
      ["lab", `${head}-dirty`, "unknown"],
      ["media", `${head}-dirty`, "unknown"],
    ]);
  });

  test("a target that sets no configurationRevision is unknown, not an error", async () => {
    const s = stubs({ ssh: `printf 'version={"nixosVersion":"26.05"}\\ngeneration=system-5-link\\ndate=\\nfailed=1\\n'` });
    const r = await run(dir, "status.sh", ["--json", "nas"], s, { path: [gitTools] });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ target: "nas", address: "127.0.0.1", reachable: true, revision: null, state: "unknown", generation: 5, generationDate: null, failedUnits: 1 }]);
  });

  test("bad usage: an unknown target or a tag nobody has is exit 2 with nothing asked", async () => {
    const s = stubs(quiet("ssh"));
    for (const args of [["web"], ["--tag", "gpu"], ["--frobnicate"]]) {
      const r = await run(dir, "status.sh", args, s, { path: [gitTools] });
      expect(r.exitCode, args.join(" ")).toBe(2);
      expect(r.stderr).toContain("Usage: ./status.sh");
    }
    expect(s.calls()).toEqual([]);
  });
});

describe("discover-targets.sh (with a recording nmap: nothing is ever scanned)", () => {
  // `ip` as on a machine whose default route leaves through lo0 with 127.0.0.9/24 (loopback, as every address here)
  const ip = `case "$*" in
    "-o -4 route show default") echo "default via 127.0.0.254 dev lo0 proto dhcp src 127.0.0.9 metric 100" ;;
    "-o -4 addr show dev lo0 scope global") printf '2: lo0    inet 127.0.0.9/24 brd 127.0.0.255 scope global dynamic lo0\\\\       valid_lft 86000sec preferred_lft 86000sec\\n' ;;
    *) code=1 ;;
  esac`;
  const nmapOutput = [
    "# Nmap 7.94 scan initiated as: nmap -p 22,2222,2200,2201 --open -oG - 127.0.0.0/24",
    "Host: 127.0.0.1 (lab.lan)\tStatus: Up",
    "Host: 127.0.0.1 (lab.lan)\tPorts: 22/open/tcp//ssh///, 2200/open/tcp//ssh///\tIgnored State: closed (2)",
    "Host: 127.0.0.7 ()\tPorts: 2222/open/tcp//EtherNetIP-1///\tIgnored State: closed (3)",
    "Host: 127.0.0.8 (printer.lan)\tStatus: Up",
    "# Nmap done at Sat May  2 10:00:00 2026 -- 256 IP addresses (3 hosts up) scanned in 2.10 seconds",
  ].join("\n");
  const nmap = `cat <<'NMAP'\n${nmapOutput}\nNMAP`;

  test("scans the default route's subnet on 22 and the targets' SSH ports; lists SSH hosts, their names and known targets", async () => {
    const s = stubs({ ip, nmap });
    const r = await run(repo(), "discover-targets.sh", [], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.argv().filter((a) => a[0] === "nmap")).toEqual([["nmap", "-p", "22,2222,2200,2201", "--open", "-oG", "-", "127.0.0.0/24"]]);
    expect(r.stdout.split("\n").slice(0, 3).map((row) => row.split(/ {2,}/))).toEqual([
      ["ADDRESS", "HOST NAME", "SSH PORTS", "TARGET"],
      ["127.0.0.1", "lab.lan", "22,2200", "lab"],
      ["127.0.0.7", "-", "2222", "-"],
    ]);
    // a host with no open SSH port is not listed
    expect(r.stdout).not.toContain("printer");
  });

  test("--subnet and --ports are used as given, and `ip` is not needed", async () => {
    const s = stubs({ nmap: "" });
    const r = await run(repo(), "discover-targets.sh", ["--subnet", "127.0.1.0/28", "--ports", "22,2022"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.argv()).toEqual([["nmap", "-p", "22,2022", "--open", "-oG", "-", "127.0.1.0/28"]]);
    expect(r.stdout).toContain("no host with an open SSH port (22,2022) on 127.0.1.0/28");
  });

  test.each([
    ["a subnet that is not IPv4 CIDR", ["--subnet", "127.0.0.0"], /--subnet 127\.0\.0\.0: use an IPv4 network like/],
    ["a subnet larger than /16", ["--subnet", "127.0.0.0/8"], /more than 65536 addresses; scan a \/16 or smaller/],
    ["a bad port", ["--subnet", "127.0.0.0/24", "--ports", "22,ssh"], /--ports 22,ssh: ssh is not a port number/],
    ["an argument", ["127.0.0.0/24"], /unknown option or argument: 127\.0\.0\.0\/24/],
  ])("bad usage, %s: exit 2, nothing scanned", async (_name, args, message) => {
    const s = stubs({ ip, nmap: "" });
    const r = await run(repo(), "discover-targets.sh", args, s);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(s.argv().filter((a) => a[0] === "nmap")).toEqual([]);
  });

  test("without ip or nmap it says what to do instead", async () => {
    const s = stubs({});
    const r = await run(repo(), "discover-targets.sh", [], s);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("cannot find the local subnet without the `ip` command: pass --subnet");
    const r2 = await run(repo(), "discover-targets.sh", ["--subnet", "127.0.0.0/24"], s);
    expect(r2.exitCode).toBe(2);
    expect(r2.stderr).toContain("nmap not found: install it");
  });

  test("--dry-run prints the scan and runs nothing", async () => {
    const s = stubs({ ip, nmap: "" });
    const r = await run(repo(), "discover-targets.sh", ["--dry-run"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    // printed as shell reads it back (bash's %q escapes the commas)
    expect(r.stderr).toContain("nmap -p 22\\,2222\\,2200\\,2201 --open -oG - 127.0.0.0/24");
    expect(s.argv().filter((a) => a[0] === "nmap")).toEqual([]);
  });
});

const SCRIPTS = ["deploy.sh", "deploy-all.sh", "rollback.sh", "status.sh", "discover-targets.sh"];

describe("--help and --dry-run", () => {
  test.each(SCRIPTS)("%s --help and -h: exit 0, usage on stdout, nothing run", async (script) => {
    for (const flag of ["--help", "-h"]) {
      const s = stubs(quiet("ssh", "nix", "rsync", "nmap", "ip"));
      const r = await run(repo(), script, [flag], s);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: \\./${script.replace(".", "\\.")} `));
      expect(r.stdout).toContain("--dry-run");
      expect(s.calls()).toEqual([]);
    }
  });

  test("deploy.sh --dry-run prints the check and the deploy, runs nothing", async () => {
    const s = stubs(quiet("ssh", "nix"));
    const r = await run(repo(), "deploy.sh", ["--dry-run", "lab"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.calls()).toEqual([]);
    expect(r.stderr).toBe(
      [
        "ssh -p 22 -o BatchMode=yes -o ConnectTimeout=5 alice@127.0.0.1 true",
        "env NIX_SSHOPTS=-p\\ 22\\ -o\\ ConnectTimeout=10 nix --extra-experimental-features nix-command\\ flakes develop --command nixos-rebuild switch --flake .#lab --target-host alice@127.0.0.1 --sudo",
        "dry run: nothing was run",
      ].join("\n"),
    );
  });

  test("status.sh --dry-run prints each probe, runs nothing", async () => {
    const s = stubs(quiet("ssh"));
    const r = await run(repo(), "status.sh", ["--dry-run", "nas"], s);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.calls()).toEqual([]);
    expect(r.stderr).toMatch(/^ssh -p 2201 -o BatchMode=yes -o ConnectTimeout=5 root@127\.0\.0\.1 \$'v=\$\(nixos-version --json/);
  });
});

describe("static checks on the rendered fleet scripts", () => {
  const files = [...SCRIPTS, "deploy/fleet-lib.sh", "deploy/inventory.sh", "deploy/lib.sh"];
  const deployers = ["nixos-rebuild", "deploy-rs", "colmena"] as const;

  test.each(deployers)("bash -n on every script (deployer %s)", (deployer) => {
    for (const file of files) {
      const r = spawnSync("bash", ["-n", file], { cwd: repo({ deployer }), encoding: "utf8" });
      expect(r.status, `${file}: ${r.stderr}`).toBe(0);
    }
  });

  const haveShellcheck = spawnSync("/bin/sh", ["-c", "command -v shellcheck"]).status === 0;
  test.skipIf(!haveShellcheck).each(deployers)("shellcheck -x on every script, following the sourced files (deployer %s)", (deployer) => {
    const r = spawnSync("shellcheck", ["-x", ...files], { cwd: repo({ deployer, sudo: deployer === "colmena" ? "nopasswd" : "password" }), encoding: "utf8" });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  test("the scripts are executable, the sourced files are not", () => {
    for (const file of files) expect((statSync(join(repo(), file)).mode & 0o111) !== 0, file).toBe(!file.startsWith("deploy/"));
  });

  // macOS runs `#!/usr/bin/env bash` with its bash 3.2: neither shellcheck nor bash 5 catches bash-4-only syntax
  test.each(files)("%s uses no bash-4-only syntax (macOS ships bash 3.2)", (file) => {
    const text = readFileSync(join(repo(), file), "utf8");
    const bash4 = [/\bdeclare\s+-[a-zA-Z]*[An]/, /\blocal\s+-[a-zA-Z]*n/, /\b(mapfile|readarray|coproc)\b/, /\$\{[^}]*(,,|\^\^|@[QEPAaKk])\}/, /;;&|;&|\|&|&>>/, /\$\{[A-Za-z_]+\[-1\]\}/, /\bwait\s+-n\b/, /\{[A-Za-z_]+\}[<>]/, /\$EPOCH/];
    for (const pattern of bash4) expect(text, `${file}: ${pattern}`).not.toMatch(pattern);
    // an array that may be empty is only expanded guarded (set -u fails on "${a[@]}" of an empty array before bash 4.4)
    for (const name of ["tty", "POSITIONAL", "TARGETS"]) expect(text, `${file}: ${name}`).not.toMatch(new RegExp(`(?<!\\+)"\\$\\{${name}\\[@\\]\\}"`));
  });
});
