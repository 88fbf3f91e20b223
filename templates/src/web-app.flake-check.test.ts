/**
 * The web-app kind under the offline `nix flake check` (the real module system over the option
 * surface, test-fixtures/stub-inputs), reading the EVALUATED configuration: N instances become
 * exactly N services, N virtual hosts each proxying to its own instance's port, N databases and
 * N roles of the same names; the units carry the sandbox; the module's assertions name clashing
 * instances; and a missing initDocument is said at evaluation.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Stack } from "@nixos-stack/core";
import { evalHost, flakeCheck, FlakeRepos, offline, plant } from "./test-support/flake-repo.js";
import { SURFACE_BRANCHES, type SurfaceBranch } from "./test-support/offline-inputs.js";
import { validStack, vpsStack } from "./test-support/render-to-disk.js";

const repos = new FlakeRepos("web-app");
afterAll(() => repos.cleanup());
const HOST = "vps-x86";

function schoolStack(branch: SurfaceBranch, n: number, extra: Record<string, unknown> = {}): Stack {
  const base = vpsStack({ nixpkgsBranch: branch });
  const instances = Array.from({ length: n }, (_, i) => ({ name: `class-${i + 1}`, port: 8081 + i, subdomain: `c${i + 1}` }));
  const app = { kind: "web-app", name: "school", domain: "school.example.org", acmeEmail: "ops@example.org", acmeAcceptTerms: true, instances, ...extra };
  return validStack({ ...base, hosts: base.hosts.map((h) => (h.name === HOST ? { ...h, services: [app] } : h)) } as never);
}

/** What the evaluated system has for the app: its units, vhosts (with where "@backend" proxies), databases, roles, users. */
const EXPANSION = `host: let
    c = host.config;
    school = attrs: builtins.listToAttrs (map (n: { name = n; value = attrs.\${n}; }) (builtins.filter (n: builtins.substring 0 7 n == "school-") (builtins.attrNames attrs)));
  in {
    units = builtins.mapAttrs (_: u: { inherit (u.serviceConfig) User Group Restart RestartSec PrivateTmp ProtectSystem ProtectHome NoNewPrivileges PrivateDevices RestrictAddressFamilies SystemCallFilter CapabilityBoundingSet RestrictNamespaces LockPersonality ProcSubset; port = u.environment.PORT; db = u.environment.PGDATABASE; after = u.after; requires = u.requires; }) (school c.systemd.services);
    vhosts = builtins.mapAttrs (_: v: { inherit (v) enableACME forceSSL; backend = v.locations."@backend".proxyPass; websockets = v.locations."@backend".proxyWebsockets; root = v.locations."/".root; }) c.services.nginx.virtualHosts;
    databases = c.services.postgresql.ensureDatabases;
    roles = map (u: { inherit (u) name ensureDBOwnership; }) c.services.postgresql.ensureUsers;
    backups = c.services.postgresqlBackup.databases;
    firewall = c.networking.firewall.allowedTCPPorts;
    recommendedProxySettings = c.services.nginx.recommendedProxySettings;
    acme = { inherit (c.security.acme) acceptTerms; email = c.security.acme.defaults.email; server = c.security.acme.defaults.server; };
    users = builtins.mapAttrs (_: u: { inherit (u) isSystemUser group; }) (school c.users.users);
  }`;

describe.skipIf(!offline.ok)("web-app instances, evaluated", () => {
  for (const [branch, n] of [[SURFACE_BRANCHES[0], 1], ...SURFACE_BRANCHES.map((b) => [b, 4] as const), [SURFACE_BRANCHES[0], 50]] as const) {
    it(`${n} instance(s) on ${branch}: exactly ${n} units, vhosts, databases and roles of matching names; each vhost proxies to its own instance's port`, () => {
      const dir = repos.create(schoolStack(branch, n));
      const got = evalHost(dir, branch, HOST, EXPANSION);
      const names = Array.from({ length: n }, (_, i) => `class-${i + 1}`);
      expect(Object.keys(got.units).sort()).toEqual(names.map((i) => `school-${i}`).sort());
      expect(Object.keys(got.vhosts).sort()).toEqual(names.map((_, i) => `c${i + 1}.school.example.org`).sort());
      expect([...got.databases].sort()).toEqual(names.map((i) => `school-${i}`).sort());
      expect(got.roles.map((r: { name: string }) => r.name).sort()).toEqual([...got.databases].sort());
      expect(got.roles.every((r: { ensureDBOwnership: boolean }) => r.ensureDBOwnership)).toBe(true);
      expect([...got.backups].sort()).toEqual([...got.databases].sort());
      names.forEach((inst, i) => {
        const unit = got.units[`school-${inst}`];
        expect(unit.port).toBe(String(8081 + i));
        expect(unit.db).toBe(`school-${inst}`);
        expect(unit.User).toBe(`school-${inst}`);
        expect(got.vhosts[`c${i + 1}.school.example.org`]).toEqual({ enableACME: true, forceSSL: true, backend: `http://127.0.0.1:${8081 + i}`, websockets: true, root: "/var/lib/school/static" });
        expect(got.users[`school-${inst}`]).toEqual({ isSystemUser: true, group: "school" });
      });
    }, 120_000);
  }

  it("each unit is sandboxed, restarts after 10 s, waits for PostgreSQL's setup, may use its socket; nginx sends the proxy headers; 80/443 open; ACME set up", () => {
    const dir = repos.create(schoolStack(SURFACE_BRANCHES[1], 2, { acmeStaging: true }));
    const got = evalHost(dir, SURFACE_BRANCHES[1], HOST, EXPANSION);
    for (const unit of Object.values(got.units) as Array<Record<string, unknown>>) {
      expect(unit).toMatchObject({ ProcSubset: "pid", Restart: "always", RestartSec: 10, PrivateTmp: true, ProtectSystem: "strict", ProtectHome: true, NoNewPrivileges: true, PrivateDevices: true, CapabilityBoundingSet: "", RestrictNamespaces: true, LockPersonality: true });
      expect(unit.RestrictAddressFamilies).toEqual(["AF_INET", "AF_INET6", "AF_UNIX"]);
      expect(unit.SystemCallFilter).toContain("@system-service");
      expect(unit.after).toContain("postgresql.target");
      expect(unit.requires).toContain("postgresql.target");
    }
    expect(got.recommendedProxySettings).toBe(true);
    expect(got.firewall).toEqual(expect.arrayContaining([80, 443]));
    expect(got.acme).toEqual({ acceptTerms: true, email: "ops@example.org", server: "https://acme-staging-v02.api.letsencrypt.org/directory" });
  }, 120_000);

  it("the module's assertions name the clashing instances when a configuration.nix override makes two share a port or subdomain", () => {
    const dir = repos.create(schoolStack(SURFACE_BRANCHES[0], 3), plant(HOST, `  services.school.instances.class-3.port = lib.mkForce 8081;\n  services.school.instances.class-2.subdomain = lib.mkForce "c1";`));
    const { status, log } = flakeCheck(dir, SURFACE_BRANCHES[0]);
    expect(status).not.toBe(0);
    expect(log).toContain("two instances listen on one port (port 8081: class-1, class-3)");
    expect(log).toContain("two instances share a subdomain (subdomain c1: class-1, class-2)");
  }, 120_000);

  it("an initDocument that is not in the repo is said at evaluation, naming the instance and the file", () => {
    const stack = schoolStack(SURFACE_BRANCHES[0], 1);
    const dir = repos.create(stack, plant(HOST, `  services.school.instances.class-1.initDocument = "apps/school/missing.sql";`));
    const { status, log } = flakeCheck(dir, SURFACE_BRANCHES[0]);
    expect(status).not.toBe(0);
    expect(log).toContain("initDocument names a file this repo does not have (class-1: apps/school/missing.sql)");
  }, 120_000);

  it.each(SURFACE_BRANCHES)("on %s, an instance whose secrets file is missing is not started (one line says why), never crash-looped: EnvironmentFile \"-\", and the evaluated ExecCondition run for real", (branch) => {
    const work = mkdtempSync(join(tmpdir(), "nixos-stack-web-app-secret-"));
    try {
      const secret = join(work, "class-1.env");
      const dir = repos.create(schoolStack(branch, 2), plant(HOST, `  services.school.instances.class-1.secretsFile = lib.mkForce ${JSON.stringify(secret)};`));
      const got = evalHost(dir, branch, HOST, `h: builtins.mapAttrs (_: u: { inherit (u.serviceConfig) EnvironmentFile ExecCondition Restart; }) { inherit (h.config.systemd.services) school-class-1 school-class-2; }`);
      // "-": systemd itself does not fail the start on a missing file (which Restart=always would repeat every 10 s for ever)
      expect(got["school-class-1"].EnvironmentFile).toBe(`-${secret}`);
      expect(got["school-class-2"].EnvironmentFile).toMatch(/^-\/run\/(agenix|secrets)\/school-class-2$|^-\/etc\/.+\/school-class-2\.env$/);
      expect(got["school-class-2"].ExecCondition).toContain(" --secret school-class-2 --docs docs/services/school.md ");
      const condition: string = got["school-class-1"].ExecCondition;
      const exe = /^\+(\/nix\/store\/[^ ]+-require-env-file\/bin\/require-env-file) /.exec(condition);
      expect(exe, condition).not.toBeNull();
      // what systemd runs (as root, "+"): the store path is writeShellApplication of the repo's modules/lib/require-env-file.sh
      const command = `bash ${join(dir, "modules/lib/require-env-file.sh")}${condition.slice(exe![0].length - 1)}`;
      const missing = spawnSync("bash", ["-c", command], { encoding: "utf8" });
      expect(missing.status, missing.stderr).toBe(1);
      expect(missing.stderr.trim().split("\n")).toHaveLength(1);
      expect(missing.stderr).toContain(`school-class-1: secrets file ${secret} is missing, so school-class-1 is not started`);
      expect(missing.stderr).toContain("then systemctl restart school-class-1 (docs/services/school.md)");
      writeFileSync(secret, "TOKEN=x\n", { mode: 0o600 });
      const present = spawnSync("bash", ["-c", command], { encoding: "utf8" });
      expect(present.status, present.stderr).toBe(0);
      expect(present.stderr).toBe("");
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);

  it("the generated repo passes the check on both branches", () => {
    for (const branch of SURFACE_BRANCHES) {
      const { status, log } = flakeCheck(repos.create(schoolStack(branch, 4, { instances: [{ name: "class-9a", port: 8081, subdomain: "9a", initDocument: "./apps/school/schema.sql" }] })), branch);
      expect(log).not.toMatch(/error:/);
      expect(status).toBe(0);
    }
  }, 240_000);
});
