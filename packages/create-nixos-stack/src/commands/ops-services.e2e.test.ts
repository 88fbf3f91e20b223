/** add-service/remove-service of the monitoring, backup and home-service kinds through the BUILT bin (run `pnpm build` first). */
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const BIN = new URL("../../dist/bundle/bin.cjs", import.meta.url).pathname;
const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u me@laptop";

let cwd: string;
let repo: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), "nixos-stack-ops-cli-"));
  repo = join(cwd, "repo");
});
afterEach(() => rm(cwd, { recursive: true, force: true }));

const bin = (args: string[], dir = repo) => execa("node", [BIN, ...args], { cwd: dir, reject: false, timeout: 30_000, env: { HOME: cwd, NO_COLOR: "1" } });
const read = (path: string) => readFile(join(repo, path), "utf8");
async function snapshot(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(repo, { withFileTypes: true, recursive: true })) if (e.isFile()) out[relative(repo, join(e.parentPath, e.name))] = await readFile(join(e.parentPath, e.name), "utf8");
  return out;
}
const newRepo = async () => expect((await bin(["repo", "--yes", "--no-git", "--ssh-key", KEY], cwd)).exitCode).toBe(0);
const MONITORING = ["add-service", "--kind", "monitoring", "--host", "vps-x86", "--name", "monitoring", "--domain", "example.com", "--acme-email", "ops@example.com", "--alert-receiver", "none", "--accept-acme-terms"];
const BACKUP = ["add-service", "--kind", "backup", "--host", "vps-x86", "--name", "backup", "--repository", "/mnt/backup/borg", "--schedule", "*-*-* 03:15:00"];

describe.runIf(existsSync(BIN))("add-service --kind monitoring | backup | home-service", () => {
  it("adds monitoring then backup: modules, rules, docs, and a job backing up the monitoring data and the gateway's home", async () => {
    await newRepo();
    const m = await bin(MONITORING);
    expect(m.exitCode, m.stderr).toBe(0);
    for (const path of ["modules/services/monitoring.nix", "modules/services/node-exporter.nix", "modules/services/monitoring/monitoring.rules.json", "docs/services/monitoring.md", "modules/lib/dotenv-value.nix"]) expect(existsSync(join(repo, path)), path).toBe(true);
    expect(await read("hosts/vps-x86/default.nix")).toContain('domain = "monitoring.example.com";');
    const b = await bin(BACKUP);
    expect(b.exitCode, b.stderr).toBe(0);
    expect(await read("hosts/vps-x86/default.nix")).toContain('paths = [ "/home/gateway" "/var/lib/grafana" "/var/lib/prometheus2" ];');
    expect(await read("docs/services/backup.md")).toContain("## Restore drill");
    // in sync afterwards
    expect((await bin(["--sync", "--dry-run"])).stdout).not.toMatch(/^\s+(create|update|CONFLICT)\s/m);
  });

  it.each([
    [["add-service", "--kind", "backup", "--host", "vps-x86", "--name", "backup"], "hosts[0].services[1].repository:"],
    [[...MONITORING.slice(0, 7), "--domain", "Example.com", "--acme-email", "ops@example.com", "--accept-acme-terms"], `hosts[0].services[1].domain: "Example.com" — use a lower-case DNS name`],
    [["add-service", "--kind", "home-service", "--host", "vps-x86", "--name", "bot", "--user", "gateway", "--command", "exec sleep infinity"], `hosts[0].services[1].user: "gateway" — is already the user of services[0]`],
    [["add-service", "--kind", "backup", "--host", "vps-x86", "--name", "backup", "--repository", "/mnt/b", "--domain", "example.com"], "--domain is a flag of a monitoring service, not of a backup one"],
    // accepting the CA's terms is the operator's answer: neither left out nor refused passes
    [MONITORING.slice(0, -1), "hosts[0].services[1].acmeAcceptTerms: is required: read Let's Encrypt's Subscriber Agreement (https://letsencrypt.org/repository/)"],
    [[...MONITORING.slice(0, -1), "--no-accept-acme-terms"], "hosts[0].services[1].acmeAcceptTerms: false — must be true"],
  ])("refuses %j naming the problem, and writes nothing", async (args, message) => {
    await newRepo();
    const before = await snapshot();
    const r = await bin(args as string[]);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain(message);
    expect(await snapshot()).toEqual(before);
  });

  it("remove-service of the last monitoring service deletes its modules, rules and docs", async () => {
    await newRepo();
    expect((await bin(MONITORING)).exitCode).toBe(0);
    const r = await bin(["remove-service", "--host", "vps-x86", "--name", "monitoring"]);
    expect(r.exitCode, r.stderr).toBe(0);
    for (const path of ["modules/services/monitoring.nix", "modules/services/monitoring/monitoring.rules.json", "docs/services/monitoring.md"]) expect(existsSync(join(repo, path)), path).toBe(false);
    expect(await read("hosts/vps-x86/default.nix")).not.toContain("monitoring");
  });
});
