/**
 * Node.js really runs inside the sandbox our units declare. The unit's SystemCallFilter,
 * SystemCallErrorNumber, RestrictAddressFamilies and MemoryDenyWriteExecute are read from the
 * EVALUATED configuration (the real module system over the option surface), and
 * test-support/sandbox-exec.py applies them to a real `node` as systemd would: the groups
 * resolved with `systemd-analyze syscall-filter`, the filter an allow-list read in order (a
 * later entry overrides an earlier one), a call outside it killed with SIGSYS or failed with the
 * errno, socket(2)'s family filtered, MDWE through prctl(PR_SET_MDWE) (Linux >= 6.3).
 *
 * What a user met before: every node-app (and its -deploy companion) killed with SIGSYS at start
 * (Node >= 18 calls pkey_alloc, systemd's @pkey group, outside @system-service), fs.chown and
 * libuv's fs.copyFile refused (~@privileged removes @chown), and the web-app's Node placeholder
 * aborted by V8 under MemoryDenyWriteExecute=true.
 *
 * Needs /usr/bin/python3 with Debian's python3-seccomp and systemd-analyze (scripts/setup.sh
 * installs them); without them the tests skip with the reason, except in CI, where they fail.
 */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "@nixos-stack/core";
import { evalHost, FlakeRepos, offline } from "./test-support/flake-repo.js";
import { freePort } from "./test-support/free-port.js";
import { SURFACE_BRANCHES, type SurfaceBranch } from "./test-support/offline-inputs.js";
import { validStack, vpsStack } from "./test-support/render-to-disk.js";

const HOST = "vps-x86";
const PYTHON = "/usr/bin/python3";
const SANDBOX_EXEC = fileURLToPath(new URL("./test-support/sandbox-exec.py", import.meta.url));
const NODE = process.execPath;

/** What the tests need besides Nix; the reason when something is missing. */
function sandboxTools(): { ok: true } | { ok: false; reason: string } {
  if (process.platform !== "linux") return { ok: false, reason: "seccomp is Linux only" };
  if (spawnSync("systemd-analyze", ["syscall-filter", "--no-pager", "@pkey"]).status !== 0) return { ok: false, reason: "no systemd-analyze (Debian: apt-get install systemd)" };
  if (spawnSync(PYTHON, ["-c", "import seccomp"]).status !== 0) return { ok: false, reason: `no seccomp module for ${PYTHON} (Debian: apt-get install python3-seccomp)` };
  return { ok: true };
}
const tools = sandboxTools();
const ready = offline.ok && tools.ok;
const reason = !offline.ok ? offline.reason : !tools.ok ? tools.reason : "";

it.runIf(Boolean(process.env.CI) && !ready)("CI has what the sandbox run needs (no silent skip)", () => {
  expect.fail(`the runtime sandbox tests cannot run: ${reason}`);
});

/** The unit's settings sandbox-exec.py applies. */
interface Spec {
  SystemCallFilter: string[];
  SystemCallErrorNumber: string | null;
  RestrictAddressFamilies: string[];
  MemoryDenyWriteExecute: boolean;
}

const SPEC = `u: let s = u.serviceConfig; in {
    inherit (s) SystemCallFilter RestrictAddressFamilies MemoryDenyWriteExecute;
    SystemCallErrorNumber = s.SystemCallErrorNumber or null;
  }`;

const UNITS = `h: let spec = ${SPEC}; in builtins.mapAttrs (_: spec) { inherit (h.config.systemd.services) bot bot-deploy school-class-1 api-class-1; }`;

function stack(branch: SurfaceBranch): Stack {
  const base = vpsStack({ nixpkgsBranch: branch });
  const bot = {
    kind: "node-app",
    name: "bot",
    source: { path: "./apps/bot" },
    npmDepsHash: "sha256-4hGdCwI/H7LdndJaHYvr8ajpmgVnY/cDRN/Q1LYENrA=",
    settings: { discordClientId: "123456789012345678", chatEndpointUrl: "http://127.0.0.1:11434/v1", model: "m", temperature: 1, maxTokens: 512 },
    companion: { enable: true, script: "deploy-commands" },
  };
  const web = (name: string, port: number, extra: Record<string, unknown>) => ({ kind: "web-app", name, domain: `${name}.example.org`, acmeEmail: "ops@example.org", acmeAcceptTerms: true, instances: [{ name: "class-1", port, subdomain: "c1" }], ...extra });
  // school: the manifest's default (the Node placeholder); api: a compiled backend
  const services = [bot, web("school", 8081, {}), web("api", 8091, { jit: false, postgresql: false, backup: { enable: false } })];
  return validStack({ ...base, hosts: base.hosts.map((h) => (h.name === HOST ? { ...h, services: [...h.services, ...services] } : h)) } as never);
}

/** Runs `node args` under the unit's sandbox: its exit status, signal and output. */
function sandboxed(spec: Spec, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(PYTHON, [SANDBOX_EXEC, JSON.stringify(spec), "--", NODE, ...args], { encoding: "utf8", env: { ...process.env, ...env }, timeout: 60_000 });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** fs.copyFile (libuv; fchown of the copy in libuv >= 1.50), chown and fchown of the unit's own file. */
const FS_SCRIPT = `
const fs = require("node:fs"), os = require("node:os"), path = require("node:path");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-fs-"));
const a = path.join(dir, "a"), b = path.join(dir, "b");
fs.writeFileSync(a, "x");
fs.copyFile(a, b, (err) => {
  if (err) throw err;
  fs.chownSync(b, process.getuid(), process.getgid());
  const fd = fs.openSync(b, "r");
  fs.fchownSync(fd, process.getuid(), process.getgid());
  fs.closeSync(fd);
  fs.rmSync(dir, { recursive: true });
  console.log("fs ok");
});`;

/** A child with piped stdio (a socketpair), then a Unix socket connection: what RestrictAddressFamilies does and does not refuse. */
const SOCKET_SCRIPT = `
const cp = require("node:child_process"), net = require("node:net");
const child = cp.spawnSync(process.execPath, ["-e", "process.stdout.write('from the child')"], { stdio: "pipe" });
console.log(JSON.stringify({ child: String(child.stdout), error: child.error ? child.error.code : null }));
net.connect("/run/sandbox-test-nothing-here.sock").on("error", (e) => console.log(JSON.stringify({ unix: e.code })));`;

describe.skipIf(!ready).each(SURFACE_BRANCHES)("Node.js under the sandbox the evaluated units declare (%s)", (branch) => {
  const repos = new FlakeRepos("runtime-sandbox");
  let units: Record<"bot" | "bot-deploy" | "school-class-1" | "api-class-1", Spec>;
  let dir: string;
  beforeAll(() => {
    dir = repos.create(stack(branch));
    units = evalHost(dir, branch, HOST, UNITS);
  }, 180_000);
  afterAll(() => repos.cleanup());

  const JIT_UNITS = ["bot", "bot-deploy", "school-class-1"] as const;

  it("the JIT units allow @pkey and @chown (after ~@privileged) with MDWE off; the compiled web-app keeps MDWE on; every unit fails refused calls with EPERM", () => {
    for (const name of JIT_UNITS) {
      expect(units[name], name).toMatchObject({ SystemCallFilter: ["@system-service", "@pkey", "~@privileged", "@chown"], SystemCallErrorNumber: "EPERM", MemoryDenyWriteExecute: false });
    }
    expect(units["api-class-1"]).toMatchObject({ SystemCallFilter: ["@system-service", "~@privileged"], SystemCallErrorNumber: "EPERM", MemoryDenyWriteExecute: true });
  });

  it.each(JIT_UNITS)("%s: `node -e 0` starts and fs.copyFile/chown work, also with a refused call killing (the allow-list alone is enough)", (name) => {
    for (const spec of [units[name], { ...units[name], SystemCallErrorNumber: null }]) {
      const start = sandboxed(spec, ["-e", "0"]);
      expect({ signal: start.signal, status: start.status, stderr: start.stderr }, JSON.stringify(spec)).toEqual({ signal: null, status: 0, stderr: "" });
      const fsRun = sandboxed(spec, ["-e", FS_SCRIPT]);
      expect({ status: fsRun.status, stdout: fsRun.stdout.trim(), stderr: fsRun.stderr }, JSON.stringify(spec)).toEqual({ status: 0, stdout: "fs ok", stderr: "" });
    }
  }, 60_000);

  it("the filter really is applied: what it leaves out is refused (EPERM), or kills with SIGSYS without an errno", () => {
    // setuid(2) is in @system-service (@setuid) and removed again by ~@privileged
    const spec = units.bot;
    const probe = `try { process.setuid(process.getuid() === 0 ? 1 : 0); console.log("setuid allowed") } catch (e) { console.log(e.code) }`;
    expect(sandboxed(spec, ["-e", probe]).stdout.trim()).toBe("EPERM");
    expect(sandboxed({ ...spec, SystemCallErrorNumber: null }, ["-e", probe]).signal).toBe("SIGSYS");
  });

  it("the web-app's rendered Node placeholder serves /health on loopback under its instance's sandbox", async () => {
    const port = await freePort();
    const server = join(dir, "pkgs/school/placeholder-server.js");
    const child = spawn(PYTHON, [SANDBOX_EXEC, JSON.stringify(units["school-class-1"]), "--", NODE, server], { env: { ...process.env, HOST: "127.0.0.1", PORT: String(port), INSTANCE: "class-1" }, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.on("data", (d) => (log += d));
    child.stderr.on("data", (d) => (log += d));
    const exited = new Promise<string>((resolve) => child.on("exit", (code, signal) => resolve(`exited: ${signal ?? code}`)));
    try {
      const listening = new Promise<string>((resolve) => child.stdout.on("data", () => log.includes("listening") && resolve("listening")));
      expect(await Promise.race([listening, exited]), log).toBe("listening");
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      expect(await res.json()).toEqual({ ok: true, instance: "class-1" });
    } finally {
      child.kill("SIGTERM");
      await exited;
    }
  }, 60_000);

  it("MemoryDenyWriteExecute=true, as the compiled web-app declares, makes V8 abort at start: why a Node backend needs jit", () => {
    const r = sandboxed(units["api-class-1"], ["-e", "0"]);
    if (r.status === 92) return void console.warn(`no MDWE on this kernel, only the evaluated value is checked: ${r.stderr}`);
    expect(r.signal, r.stderr).toBe("SIGTRAP");
    expect(r.stderr).toContain("SetPermissions");
    // the same unit without MDWE starts: the filter is not what stops it
    expect(sandboxed({ ...units["api-class-1"], MemoryDenyWriteExecute: false }, ["-e", "0"]).status).toBe(0);
  });

  it("RestrictAddressFamilies leaves a child's piped stdio (socketpair) alone and refuses only a Unix socket (what the node-app docs say)", () => {
    const r = sandboxed(units.bot, ["-e", SOCKET_SCRIPT]);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines, r.stderr).toEqual([{ child: "from the child", error: null }, { unix: "EAFNOSUPPORT" }]);
    const docs = readFileSync(join(dir, "docs/services/bot.md"), "utf8");
    expect(docs).toContain("is a `socketpair()`, which `RestrictAddressFamilies` does");
    expect(docs).not.toMatch(/Unix socket pair\), which the sandbox/);
  });
});
