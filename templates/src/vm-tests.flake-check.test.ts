/**
 * Every host gets its NixOS VM test (`checks.<system>.vm-<host>`, checks/vm-tests.nix), and every
 * service kind on it gets its waits in that test's script. Evaluated offline through the
 * stand-ins: their pkgs.testers.runNixOSTest evaluates each node as runNixOSTest would (the VM's
 * file systems, nixpkgs read-only, the host's assertions) and the test script from the evaluated
 * node. Nothing boots here; `nix flake check` on a machine with KVM runs them.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parseStackJson, type Stack } from "@nixos-stack/core";
import { flakeCheck, FlakeRepos, nixArgs, offline, plant } from "./test-support/flake-repo.js";
import { SURFACE_BRANCHES } from "./test-support/offline-inputs.js";

const repos = new FlakeRepos("vm-tests");
afterAll(() => repos.cleanup());

function exampleStack(name: string): Stack {
  const parsed = parseStackJson(readFileSync(fileURLToPath(new URL(`../../examples/${name}/nixos-stack.json`, import.meta.url)), "utf8"));
  if (!parsed.ok) throw new Error(`examples/${name}: ${JSON.stringify(parsed)}`);
  return parsed.stack;
}

/** checks.<system>.<name>.testScript of every check that has one (the VM tests). */
function testScripts(dir: string, branch: string): Record<string, Record<string, string>> {
  const apply = "checks: builtins.mapAttrs (_: cs: builtins.mapAttrs (_: c: c.testScript) (builtins.removeAttrs cs (builtins.filter (n: !(cs.${n} ? testScript)) (builtins.attrNames cs)))) checks";
  const out = execFileSync("nix", ["eval", "--json", "--no-write-lock-file", ".#checks", "--apply", apply, ...nixArgs(branch as never, dir)], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return JSON.parse(out);
}

/** The systemd services and containers a host defines (ours: the stand-ins model no upstream unit). */
function definedUnits(dir: string, branch: string, host: string): { services: string[]; containers: string[] } {
  const apply = "h: { services = builtins.attrNames h.config.systemd.services; containers = builtins.attrNames h.config.containers; }";
  const out = execFileSync("nix", ["eval", "--json", "--no-write-lock-file", `.#nixosConfigurations.${host}`, "--apply", apply, ...nixArgs(branch as never, dir)], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return JSON.parse(out);
}

/** What each service kind must make its host's VM test wait for, from the manifest entry. */
const KIND_WAITS: Record<string, (service: any, stack: Stack) => RegExp[]> = {
  gateway: (s) => [new RegExp(`wait_for_unit\\("${s.name ?? "gateway"}\\.service", "${s.user ?? "gateway"}"\\)`), new RegExp(`wait_for_open_port\\(${s.port ?? 18789}, "127\\.0\\.0\\.1"\\)`)],
  "home-service": (s) => [new RegExp(`wait_for_unit\\("${s.name}\\.service", "${s.user ?? s.name}"\\)`)],
  "node-app": (s) => [new RegExp(`systemctl show -P Result ${s.name}\\.service \\| grep -qx exec-condition`)],
  "web-app": (s) => [
    /wait_for_unit\("postgresql\.service"\)/,
    /wait_for_unit\("nginx\.service"\)/,
    /wait_for_open_port\(443, "127\.0\.0\.1"\)/,
    ...s.instances.map((i: { name: string }) => new RegExp(`datname = .{0,6}${s.name}-${i.name}'`)),
  ],
  containers: (s) =>
    s.containers.flatMap((c: any) => [
      new RegExp(`wait_for_unit\\("container@${c.name}\\.service"\\)`),
      new RegExp(`systemctl -M ${c.name} is-active prometheus-node-exporter\\.service`),
      ...(c.postgresql ? [new RegExp(`systemctl -M ${c.name} is-active postgresql\\.service`)] : []),
      // NATS reads its token from the container's secret, which a first boot does not have: skipped
      ...(c.nats ? [new RegExp(`systemctl -M ${c.name} show -P Result nats\\.service \\| grep -qx exec-condition`)] : []),
    ]),
  monitoring: (s) => [/wait_for_unit\("prometheus\.service"\)/, new RegExp(`wait_for_open_port\\(${s.prometheusPort}, `)],
  backup: (s) => [new RegExp(`wait_for_unit\\("borgbackup-job-${s.name ?? "backup"}\\.timer"\\)`)],
};

const EXAMPLES = ["discord-bot", "lan-fleet", "leaf-node-containers", "monitored-vps", "multi-instance-webapp", "vps"];

describe.skipIf(!offline.ok)("a VM test per host, waiting for each service kind on it", () => {
  it.each(EXAMPLES)("examples/%s: every host has vm-<host> on its platform, with sshd and each of its services' waits", (example) => {
    const stack = exampleStack(example);
    const branch = SURFACE_BRANCHES[0];
    const dir = repos.create(stack);
    const scripts = testScripts(dir, branch);
    for (const host of stack.hosts) {
      const script = scripts[host.system]?.[`vm-${host.name}`];
      expect(script, `checks.${host.system}.vm-${host.name}`).toBeTypeOf("string");
      expect(script).toMatch(/^start_all\(\)\nmachine\.wait_for_unit\("multi-user\.target"\)\n/);
      expect(script).toContain('machine.wait_for_unit("sshd.service")');
      for (const service of host.services ?? []) {
        const waits = KIND_WAITS[service.kind];
        expect(waits, `a VM-test expectation for the ${service.kind} kind`).toBeDefined();
        for (const wait of waits!(service, stack)) expect(script, `${host.name}: ${service.kind}`).toMatch(wait);
      }
      // every unit of ours the script names is one the host defines
      const defined = definedUnits(dir, branch, host.name);
      for (const [, unit] of script!.matchAll(/systemctl show -P Result (\S+)\.service/g)) expect(defined.services).toContain(unit);
      for (const [, name] of script!.matchAll(/wait_for_unit\("container@([^"]+)\.service"\)/g)) expect(defined.containers).toContain(name);
    }
    const hostChecks = Object.values(scripts).flatMap((cs) => Object.keys(cs));
    expect(hostChecks.sort()).toEqual(stack.hosts.map((h) => `vm-${h.name}`).sort());
  });

  it.each(SURFACE_BRANCHES)("%s: a host that sets nixpkgs.hostPlatform itself fails its VM test's evaluation (runNixOSTest's pkgs are read-only)", (branch) => {
    const stack = exampleStack("vps");
    const dir = repos.create({ ...stack, nixpkgs: { branch } } as Stack, plant("vps-x86", '  nixpkgs.hostPlatform = "x86_64-linux";'));
    const r = flakeCheck(dir, branch);
    expect(r.status).not.toBe(0);
    expect(r.log).toMatch(/The option `nixpkgs\.hostPlatform' is read-only, but it's set multiple times/);
  });
});
