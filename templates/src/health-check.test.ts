/**
 * scripts/health-check.sh as generated for a container host, run against recording stand-ins on
 * PATH for nixos-container, systemctl, timeout (the port probe), openssl, cat (the backup
 * timestamp) and ssh: a stopped container and a failed unit are reported by name and the script
 * exits non-zero; a healthy host passes; --json, --dry-run and --ssh behave as documented.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderStack } from "./index.js";
import { validStack, vpsStack, writeTree } from "./test-support/render-to-disk.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const HOST = "vps-x86";
const CONTAINERS = {
  kind: "containers",
  externalInterface: "ens3",
  domain: "example.com",
  acmeEmail: "ops@example.com",
  acmeAcceptTerms: true,
  containers: [
    { role: "data", name: "data", address: "10.233.1.2", redis: { port: 6380 }, postgresql: {} },
    { role: "app", name: "graph", address: "10.233.1.3", command: "graph-server", port: 8080, subdomain: "graph" },
  ],
};
const BACKUP = { kind: "backup", repository: "/mnt/backup" };

function generatedScript(): string {
  const base = vpsStack({});
  const hosts = base.hosts.map((h) => (h.name === HOST ? { ...h, services: [...h.services, CONTAINERS, BACKUP] } : h));
  const dir = mkdtempSync(join(tmpdir(), "nixos-stack-health-"));
  dirs.push(dir);
  writeTree(renderStack(validStack({ ...base, hosts } as never)), dir);
  return join(dir, "scripts/health-check.sh");
}

const script = generatedScript();

interface Fakes {
  down?: string[];
  failedUnits?: string[];
  closedPorts?: string[];
  backupAgeHours?: number;
  /** what `id -u` answers: an admin (1000) unless told (0: root) */
  uid?: number;
  /** the host has no openssl on its PATH */
  noOpenssl?: boolean;
  /** the login roles pg_authid lists without a password */
  passwordlessRoles?: string[];
}

/** A PATH directory of stand-ins that append their arguments to calls.log and answer as `fakes` says. */
function standIns(fakes: Fakes): { bin: string; log: string } {
  const bin = mkdtempSync(join(tmpdir(), "nixos-stack-health-bin-"));
  dirs.push(bin);
  const log = join(bin, "calls.log");
  const write = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/usr/bin/env bash\necho "${name} $*" >> ${JSON.stringify(log)}\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  write("nixos-container", `if [ "$1" = run ]; then ${(fakes.passwordlessRoles ?? []).map((r) => `echo ${r}; `).join("")}exit 0; fi; case " ${(fakes.down ?? []).join(" ")} " in *" $2 "*) echo down ;; *) echo up ;; esac`);
  write("systemctl", `case " ${(fakes.failedUnits ?? []).join(" ")} " in *" $2/$4 "*) echo failed; exit 3 ;; *) echo active ;; esac`);
  write("timeout", `probe="$4"; case " ${(fakes.closedPorts ?? []).join(" ")} " in *" \${probe#*/dev/tcp/} "*) exit 1 ;; esac; exit 0`);
  write("openssl", "exit 0");
  write("id", `echo ${fakes.uid ?? 1000}`);
  // sudo -n runs the command (the admins' passwordless sudo)
  write("sudo", `[ "$1" = -n ] && shift; exec "$@"`);
  if (fakes.noOpenssl) write("sh", `case "$*" in *"command -v openssl"*) exit 1 ;; esac; exec /bin/sh "$@"`);
  const last = Math.floor(Date.now() / 1000) - (fakes.backupAgeHours ?? 1) * 3600;
  write("cat", `if [ "$1" = /var/lib/node-exporter-textfile/borg-backup.prom ]; then echo 'stack_backup_last_success_timestamp_seconds{borg_job="backup"} ${last}'; else exec /bin/cat "$@"; fi`);
  // runs the remote command line here, as sshd would hand it to the login shell
  write("ssh", `shift "$(($# - 1))"; exec bash -c "$1"`);
  return { bin, log };
}

function run(fakes: Fakes, ...args: string[]) {
  const { bin, log } = standIns(fakes);
  const r = spawnSync("bash", [script, ...args], { encoding: "utf8", env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
  let calls = "";
  try {
    calls = readFileSync(log, "utf8");
  } catch {
    calls = "";
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls };
}

describe("scripts/health-check.sh against stand-ins", () => {
  it("passes a healthy host: every container up, every unit active, every port answering, a fresh backup", () => {
    const r = run({});
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("ok    container data: up");
    expect(r.stdout).toContain("ok    unit      data/redis-data.service: active");
    expect(r.stdout).toContain("ok    port      data 10.233.1.2:6380: answers");
    expect(r.stdout).toContain("ok    cert      graph.example.com");
    expect(r.stdout).toMatch(/ok {4}backup {4}backup: last archive [01]h ago/);
    expect(r.calls).toContain("systemctl -M data is-active postgresql.service");
    expect(r.stdout).toContain("ok    pg-roles  data: every login role has a password");
  });

  it("reports the PostgreSQL login roles without a password, read from pg_authid inside the data container as root", () => {
    const r = run({ passwordlessRoles: ["graph", "workflow"] });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("FAIL  pg-roles  data: login roles without a password: graph, workflow; add their PG_PASSWORD_<DATABASE> lines");
    expect(r.calls).toContain("sudo -n nixos-container run data -- runuser -u postgres -- psql -X -tA -p 5432 -d postgres -c SELECT rolname FROM pg_authid WHERE rolcanlogin AND rolpassword IS NULL AND rolname <> 'postgres' ORDER BY 1");
  });

  it("runs the checks that need root through sudo -n for an admin, and directly as root", () => {
    const admin = run({});
    expect(admin.status).toBe(0);
    // systemctl -M enters the container; /var/lib/acme/<domain> is acme:nginx 0750
    expect(admin.calls).toContain("sudo -n systemctl -M data is-active postgresql.service");
    expect(admin.calls).toContain("sudo -n openssl x509 -checkend 1209600 -noout -in /var/lib/acme/graph.example.com/cert.pem");
    // nixos-container status needs no root; nixos-container run (the PostgreSQL roles) does
    expect(admin.calls).not.toMatch(/sudo -n (nixos-container status|cat|timeout)/);
    expect(admin.calls).toContain("sudo -n nixos-container run data --");
    const root = run({ uid: 0 });
    expect(root.status).toBe(0);
    expect(root.calls).not.toContain("sudo");
  });

  it("names a missing openssl instead of calling every certificate expired", () => {
    const r = run({ noOpenssl: true });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("FAIL  cert      graph.example.com: openssl is not on the host's PATH");
    expect(r.calls).not.toContain("openssl x509");
  });

  it("reports a stopped container and a failed unit by name and exits non-zero", () => {
    const r = run({ down: ["graph"], failedUnits: ["data/redis-data.service"] });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("FAIL  container graph: not running (nixos-container status: down)");
    expect(r.stdout).toContain("FAIL  unit      data/redis-data.service: failed; see: journalctl -M data -u redis-data.service");
    expect(r.stderr).toContain("2 check(s) failed on vps-x86");
    expect(r.stderr).toContain("container graph:");
    expect(r.stderr).toContain("unit data/redis-data.service:");
  });

  it("reports a port that does not answer and a backup older than the limit", () => {
    const r = run({ closedPorts: ["10.233.1.3/8080"], backupAgeHours: 72 });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("FAIL  port      graph 10.233.1.3:8080: does not answer");
    expect(r.stdout).toMatch(/FAIL {2}backup {4}backup: last archive 72h ago \(more than 48h\)/);
  });

  it("prints one JSON array with --json, the failing items with ok false", () => {
    const r = run({ down: ["graph"] }, "--json");
    expect(r.status).toBe(1);
    const results = JSON.parse(r.stdout) as Array<{ check: string; item: string; ok: boolean }>;
    expect(results.filter((x) => !x.ok).map((x) => `${x.check} ${x.item}`)).toEqual(["container graph"]);
    expect(results.length).toBeGreaterThan(5);
  });

  it("runs nothing with --dry-run and prints the commands, over SSH when asked", () => {
    const r = run({ down: ["graph"] }, "--dry-run", "--ssh", "admin@203.0.113.10");
    expect(r.status).toBe(0);
    expect(r.calls).toBe("");
    expect(r.stdout).toContain("ssh -p 2222 admin@203.0.113.10 -- nixos-container status graph");
    expect(r.stdout).toContain("ssh -p 2222 admin@203.0.113.10 -- sudo -n systemctl -M data is-active redis-data.service");
  });

  it("reaches the host on its deploy.sshPort by default, on :PORT, [IPv6]:PORT or --port when given, and as root@ without sudo", () => {
    const ssh = (...args: string[]) => run({}, ...args).calls.split("\n").filter((l) => l.startsWith("ssh "));
    expect(ssh("--ssh", "admin@203.0.113.10")[0]).toBe("ssh -o BatchMode=yes -p 2222 admin@203.0.113.10 --  nixos-container status data");
    expect(ssh("--ssh", "admin@203.0.113.10:2200")[0]).toMatch(/^ssh -o BatchMode=yes -p 2200 admin@203\.0\.113\.10 -- /);
    expect(ssh("--ssh", "admin@[2001:db8::1]:2201")[0]).toMatch(/^ssh -o BatchMode=yes -p 2201 admin@2001:db8::1 -- /);
    expect(ssh("--ssh", "admin@203.0.113.10", "--port", "2022")[0]).toMatch(/^ssh -o BatchMode=yes -p 2022 admin@203\.0\.113\.10 -- /);
    const asRoot = ssh("--ssh", "root@203.0.113.10");
    expect(asRoot).toContain("ssh -o BatchMode=yes -p 2222 root@203.0.113.10 --  systemctl -M data is-active postgresql.service");
    expect(asRoot.join("\n")).not.toContain("sudo");
    const bad = run({}, "--ssh", "admin@203.0.113.10", "--port", "22x");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--port takes a port number");
  });

  it("runs every check through ssh with --ssh (the remote shell gets each argument quoted)", () => {
    const r = run({ failedUnits: ["data/redis-data.service"] }, "--ssh", "admin@203.0.113.10");
    expect(r.status).toBe(1);
    expect(r.calls).toMatch(/^ssh -o BatchMode=yes -p 2222 admin@203\.0\.113\.10 -- {2}nixos-container status data$/m);
    expect(r.stdout).toContain("FAIL  unit      data/redis-data.service: failed");
  });

  it("explains itself with --help and refuses an unknown argument", () => {
    const help = run({}, "--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Usage: scripts/health-check.sh");
    const bad = run({}, "--frobnicate");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("unknown argument '--frobnicate'");
  });
});
