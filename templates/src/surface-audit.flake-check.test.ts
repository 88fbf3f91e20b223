/**
 * What the audit of the services, ACME and systemd rows of the option surface
 * (templates/test-fixtures/stub-inputs/nixpkgs/option-surface/README.md) changed, under the
 * offline `nix flake check` of a generated host with the containers kind (PostgreSQL, Redis,
 * NATS and Qdrant in a data container, Prometheus and Grafana in a monitoring one, the host's
 * nginx with ACME in front): each class of mistake upstream refuses is planted into the host's
 * configuration.nix and fails naming the option, each upstream warning is printed, and what
 * upstream accepts passes. On both supported branches.
 *
 * Read at Swarsel/nixpkgs@4aa6836a (nixos-unstable just after the 26.05 branch-off):
 * nixos/lib/systemd-lib.nix (unitNameType), nixos/modules/system/boot/systemd.nix (its
 * warnings, settings.Manager), nixos/modules/services/databases/{redis,postgresql}.nix,
 * nixos/modules/services/monitoring/{grafana,prometheus/default}.nix,
 * nixos/modules/security/acme/default.nix.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { Stack } from "@nixos-stack/core";
import { encryptedSecrets, evalHost, flakeCheck, FlakeRepos, offline, plant } from "./test-support/flake-repo.js";
import { SURFACE_BRANCHES, type SurfaceBranch } from "./test-support/offline-inputs.js";
import { validStack, vpsStack } from "./test-support/render-to-disk.js";

const repos = new FlakeRepos("surface-audit");
afterAll(() => repos.cleanup());

const HOST = "vps-x86";
const CONTAINERS = {
  kind: "containers",
  subnet: "10.233.1.0/24",
  externalInterface: "ens3",
  domain: "example.com",
  acmeEmail: "ops@example.com",
  acmeAcceptTerms: true,
  containers: [
    { role: "data", name: "data", address: "10.233.1.2", postgresql: { databases: ["graph"] }, redis: { port: 6380 }, nats: {}, qdrant: {} },
    { role: "monitoring", name: "monitoring", address: "10.233.1.9", alerting: { receiver: "none" } },
  ],
};
const SECRETS = ["containers-data", "containers-monitoring"];

function stack(branch: SurfaceBranch, stateVersion?: string): Stack {
  const base = vpsStack({ nixpkgsBranch: branch });
  const hosts = base.hosts.map((h) => (h.name === HOST ? { ...h, services: [...h.services, CONTAINERS] } : h));
  return validStack({ ...base, ...(stateVersion ? { stateVersion } : {}), secrets: { backend: "agenix" }, hosts } as never);
}

const checkWith = (branch: SurfaceBranch, lines: string, stateVersion?: string) =>
  flakeCheck(repos.create(stack(branch, stateVersion), encryptedSecrets(SECRETS), plant(HOST, lines)), branch);

/** Nix's `evaluation warning:` lines (Nix 2.8 prints them as `trace: …`), upstream's and ours. */
const warningsIn = (log: string) =>
  log
    .split("\n")
    .filter((line) => /evaluation warning:/.test(line))
    .map((line) => line.replace(/\u001b\[[0-9;]*m/g, "").replace(/^.*evaluation warning: /, ""));

/** A planted definition upstream refuses, and the error that names it. */
const REFUSED: Array<{ what: string; line: string; error: string[]; stateVersion?: string }> = [
  {
    what: "a unit name without its type suffix (systemd-lib.nix unitNameType)",
    line: '  systemd.services.audit-plant = { wantedBy = [ "multi-user" ]; serviceConfig.ExecStart = "/run/current-system/sw/bin/true"; };',
    error: ["systemd.services.audit-plant.wantedBy", "string matching the pattern"],
  },
  {
    what: "a [Service] value of Redis' unit (redis.nix: User = redis-<name>)",
    line: '  containers.data.config.systemd.services.redis-data.serviceConfig.User = "root";',
    error: ["The option `systemd.services.redis-data.serviceConfig.User' has conflicting definition values"],
  },
  {
    what: "a [Service] value of Grafana's unit (grafana.nix: Restart = on-failure)",
    line: '  containers.monitoring.config.systemd.services.grafana.serviceConfig.Restart = "always";',
    error: ["The option `systemd.services.grafana.serviceConfig.Restart' has conflicting definition values"],
  },
  {
    what: "systemd's ManagerEnvironment (systemd.nix: from systemd.managerEnvironment)",
    line: '  systemd.settings.Manager.ManagerEnvironment = "FOO=1";',
    error: ["The option `systemd.settings.Manager.ManagerEnvironment' has conflicting definition values"],
  },
  {
    what: "a Grafana data source value YAML cannot hold (grafana.nix: freeformType = the YAML format's type)",
    line: '  containers.monitoring.config.services.grafana.provision.datasources.settings.datasources = lib.mkForce [ { name = "Loki"; type = "loki"; jsonData = x: x; } ];',
    error: ["services.grafana.provision.datasources.settings.datasources", "YAML 1.1"],
  },
  {
    what: "null labels of a Prometheus target group (prometheus/default.nix static_config: attrsOf str, default { })",
    line: '  containers.monitoring.config.services.prometheus.scrapeConfigs = [ { job_name = "audit"; static_configs = [ { targets = [ "10.233.1.2:9100" ]; labels = null; } ]; } ];',
    error: ["labels", "is not of type `attribute set of string'"],
  },
  {
    what: "an unpinned PostgreSQL on a host first installed before 22.05 (postgresql.nix: the stateVersion default throws)",
    line: "  services.postgresql.enable = true;",
    stateVersion: "21.11",
    error: ["postgresql_13 was removed, please upgrade your postgresql version."],
  },
];

describe.skipIf(!offline.ok).each(SURFACE_BRANCHES)("the audited services, ACME and systemd surface on %s", (branch) => {
  it.each(REFUSED)("refuses $what, naming it", ({ line, error, stateVersion }) => {
    const { status, log } = checkWith(branch, line, stateVersion);
    for (const part of error) expect(log).toContain(part);
    expect(status).not.toBe(0);
  });

  it("prints upstream's systemd warnings for a planted unit, and none for the generated ones", () => {
    const clean = checkWith(branch, "");
    expect(clean.status).toBe(0);
    // the only warnings of a generated host are ours: a secret file not created yet
    expect(warningsIn(clean.log).filter((w) => !/does not exist yet/.test(w))).toEqual([]);
    const { status, log } = checkWith(
      branch,
      [
        '  systemd.services.audit-online = { after = [ "network-online.target" ]; serviceConfig.ExecStart = "/run/current-system/sw/bin/true"; };',
        '  systemd.services.audit-oneshot.serviceConfig = { Type = "oneshot"; Restart = "always"; ExecStart = "/run/current-system/sw/bin/true"; };',
      ].join("\n"),
    );
    expect(status).toBe(0);
    expect(warningsIn(log)).toEqual(
      expect.arrayContaining([
        "audit-online.service is ordered after 'network-online.target' but doesn't depend on it",
        "Service 'audit-oneshot.service' with 'Type=oneshot' cannot have 'Restart=always' or 'Restart=on-success'",
      ]),
    );
  });

  it("accepts ACME without an account e-mail, as upstream does since it dropped that assertion", () => {
    const { status, log } = checkWith(branch, "  security.acme.defaults.email = lib.mkForce null;");
    expect(log).not.toContain("error:");
    expect(status).toBe(0);
  });

  it("pins the data container's PostgreSQL, so an adopted pre-22.05 host still evaluates, with the major a new host gets", () => {
    const dir = repos.create(stack(branch, "21.11"), encryptedSecrets(SECRETS));
    const { status, log } = flakeCheck(dir, branch);
    expect(log).not.toContain("error:");
    expect(status).toBe(0);
    const values = evalHost(
      dir,
      branch,
      HOST,
      `host: let c = host.config.containers.data.config; in {
        package = c.services.postgresql.package.name;
        postgres = { inherit (c.users.users.postgres) uid home; };
        backupDir = builtins.filter (r: builtins.match ".*/var/backup/postgresql.*" r != null) c.systemd.tmpfiles.rules;
        redis = { inherit (c.systemd.services.redis-data) requires; inherit (c.systemd.services.redis-data.serviceConfig) User Type; };
        vhostsDefault = host.options.services.nginx.virtualHosts.default;
        acmeDefaultsHasDefault = host.options.security.acme.defaults ? default;
      }`,
    );
    expect(values).toEqual({
      package: "postgresql_17",
      postgres: { uid: 71, home: "/var/lib/postgresql/17" },
      backupDir: ["d '/var/backup/postgresql' 0700 postgres - - -"],
      redis: { requires: ["redis-data-password.service"], User: "redis-data", Type: "notify" },
      vhostsDefault: { localhost: {} },
      acmeDefaultsHasDefault: false,
    });
  });
});
