/**
 * The host's per-container resource collector (container-resources, modules/services/
 * container-metrics.nix) run for real with bash over a cgroup v2 tree and container roots laid out
 * as the kernel and nixos-containers lay them out (a data container with MemoryHigh/MemoryMax and
 * a CPU quota, an app container without limits, a stopped container), its output judged by the
 * real `promtool check metrics` (the text format the node exporter's textfile collector reads).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderStack } from "./index.js";
import { validStack, vpsStack } from "./test-support/render-to-disk.js";

const hasPromtool = spawnSync("promtool", ["--version"]).status === 0;
if (!hasPromtool) console.warn("container-resources.test.ts: the output's format check is skipped, promtool is not installed (Debian: apt-get install prometheus)");

const root = mkdtempSync(join(tmpdir(), "nixos-stack-cgroup-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const stack = (() => {
  const base = vpsStack();
  const containers = {
    kind: "containers",
    externalInterface: "ens3",
    domain: "example.com",
    acmeEmail: "ops@example.com", acmeAcceptTerms: true,
    containers: [
      { role: "data", name: "data", address: "10.233.1.2", limits: { memoryHigh: "6G", memoryMax: "8G", cpuQuota: "200%" }, postgresql: {} },
      { role: "app", name: "graph", address: "10.233.1.3", command: "/bin/true" },
      { role: "app", name: "stopped", address: "10.233.1.4", command: "/bin/true" },
      { role: "monitoring", name: "monitoring", address: "10.233.1.9", alerting: { receiver: "none" } },
    ],
  };
  return validStack({ ...base, hosts: base.hosts.map((h, i) => (i === 0 ? { ...h, services: [...h.services, containers] } : h)) } as never);
})();

/** The script as writeShellApplication writes it, its interpolations filled in and its roots moved under the test's directory. */
function collector(): string {
  const nix = renderStack(stack).get("modules/services/container-metrics.nix")!.content;
  const raw = /name = "container-resources";[\s\S]*?text = ''([\s\S]*?)\n {4}'';/.exec(nix)![1]!;
  const text = raw
    .replace("${lib.escapeShellArgs names}", "data graph monitoring stopped")
    .replace("${textfile}", join(root, "textfile"))
    .replace(/''\$\{/g, "${")
    .replaceAll("/sys/fs/cgroup", join(root, "cgroup"))
    .replaceAll("/var/lib/nixos-containers", join(root, "containers"));
  expect(text, "every interpolation filled in").not.toMatch(/\$\{(lib|textfile|pkgs)/);
  return `#!/usr/bin/env bash\nset -o errexit\nset -o nounset\nset -o pipefail\n${text}\n`;
}

function cgroup(name: string, files: Record<string, string>) {
  const dir = join(root, "cgroup", "machine.slice", `container@${name}.service`);
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
}

describe("the containers' resource collector", () => {
  it("writes each running container's working set, limit, CPU and disk use, in the text format", () => {
    mkdirSync(join(root, "textfile"), { recursive: true });
    // data: 6.5 GiB charged, 1 GiB of it inactive page cache; MemoryHigh 6G, MemoryMax 8G
    cgroup("data", {
      "memory.current": `${6.5 * 2 ** 30}\n`,
      "memory.stat": `anon 5000000000\nfile 2000000000\ninactive_file ${2 ** 30}\nactive_file 100\n`,
      "memory.high": `${6 * 2 ** 30}\n`,
      "memory.max": `${8 * 2 ** 30}\n`,
      "cpu.stat": "usage_usec 123456789\nuser_usec 100000000\nsystem_usec 23456789\nnr_periods 10\nnr_throttled 2\nthrottled_usec 1500000\n",
    });
    // graph: no limits (memory.high and memory.max say "max"), no quota (no throttled_usec line)
    cgroup("graph", { "memory.current": "1000\n", "memory.stat": "inactive_file 5000\n", "memory.high": "max\n", "memory.max": "max\n", "cpu.stat": "usage_usec 42\n" });
    cgroup("monitoring", { "memory.current": "300\n", "memory.stat": "inactive_file 100\n", "memory.high": "max\n", "memory.max": `${2 * 2 ** 30}\n`, "cpu.stat": "usage_usec 1000000\n" });
    for (const [name, bytes] of [["data", 4096], ["graph", 100]] as const) {
      mkdirSync(join(root, "containers", name), { recursive: true });
      writeFileSync(join(root, "containers", name, "state"), "x".repeat(bytes));
    }
    // systemctl show --property=ControlGroup --value container@<name>.service: empty when it is not running
    const bin = join(root, "bin");
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, "systemctl"), '#!/bin/sh\nfor unit; do :; done\ncase "$unit" in container@stopped.service) echo ;; *) echo "/machine.slice/$unit" ;; esac\n');
    chmodSync(join(bin, "systemctl"), 0o755);
    writeFileSync(join(root, "collector.sh"), collector());

    const r = spawnSync("bash", [join(root, "collector.sh")], { encoding: "utf8", env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const out = readFileSync(join(root, "textfile", "containers.prom"), "utf8");
    const value = (series: string) => out.split("\n").find((l) => l.startsWith(`${series} `))?.split(" ")[1];

    expect(value('stack_container_memory_working_set_bytes{container="data"}')).toBe(String(5.5 * 2 ** 30));
    // the lower of MemoryHigh and MemoryMax; none without limits
    expect(value('stack_container_memory_limit_bytes{container="data"}')).toBe(String(6 * 2 ** 30));
    expect(value('stack_container_memory_limit_bytes{container="monitoring"}')).toBe(String(2 * 2 ** 30));
    expect(value('stack_container_memory_limit_bytes{container="graph"}')).toBeUndefined();
    // reclaimable cache larger than the charge (a race between the two reads) is no negative working set
    expect(value('stack_container_memory_working_set_bytes{container="graph"}')).toBe("0");
    expect(value('stack_container_cpu_usage_seconds_total{container="data"}')).toBe("123.456789");
    expect(value('stack_container_cpu_throttled_seconds_total{container="data"}')).toBe("1.500000");
    expect(value('stack_container_cpu_throttled_seconds_total{container="graph"}')).toBeUndefined();
    expect(Number(value('stack_container_disk_usage_bytes{container="data"}'))).toBeGreaterThanOrEqual(4096);
    // the stopped container has no cgroup and no root yet: no series at all
    expect(out).not.toContain('container="stopped"');

    if (hasPromtool) {
      const check = spawnSync("promtool", ["check", "metrics"], { input: out, encoding: "utf8" });
      expect(`${check.stdout}${check.stderr}`).not.toMatch(/error|parse/i);
      expect(check.status).toBe(0);
    }
  });
});
