/**
 * The definitions upstream NixOS modules make themselves on the options our templates also set
 * (the option surface's `config`, templates/test-fixtures/stub-inputs/nixpkgs/option-surface/),
 * under the offline `nix flake check`: a generated module that defines one of them differently
 * fails as it fails on a real nixpkgs, naming the option, and one upstream defines with
 * mkDefault is overridden as it is upstream. Each case plants its line into a generated host's
 * configuration.nix (a container's `config` included), on both supported branches.
 *
 * Read at Swarsel/nixpkgs@4aa6836a (nixos-unstable after the 26.05 branch-off):
 * nixos/modules/services/networking/nats.nix, nixos/modules/services/databases/postgresql.nix,
 * nixos/modules/services/search/qdrant.nix, nixos/modules/services/monitoring/grafana.nix.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { Stack } from "@nixos-stack/core";
import { encryptedSecrets, evalHost, flakeCheck, FlakeRepos, offline, plant } from "./test-support/flake-repo.js";
import { SURFACE_BRANCHES, type SurfaceBranch } from "./test-support/offline-inputs.js";
import { validStack, vpsStack } from "./test-support/render-to-disk.js";

const repos = new FlakeRepos("upstream-defs");
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
    { role: "monitoring", name: "monitoring", address: "10.233.1.9", alerting: { receiver: "webhook" } },
  ],
};
const SECRETS = ["containers-data", "containers-monitoring"];

function stack(branch: SurfaceBranch): Stack {
  const base = vpsStack({ nixpkgsBranch: branch });
  const hosts = base.hosts.map((h) => (h.name === HOST ? { ...h, services: [...h.services, CONTAINERS] } : h));
  return validStack({ ...base, secrets: { backend: "agenix" }, hosts } as never);
}

/** A planted definition that upstream's own definition of the same option refuses. */
const CLASHES: Array<{ what: string; line: string; error: string }> = [
  {
    what: "NATS' JetStream store_dir (nats.nix: settings.jetstream.store_dir = dataDir)",
    line: '  containers.data.config.services.nats.settings.jetstream.store_dir = "/var/lib/nats/jetstream";',
    error: "The option `services.nats.settings.jetstream.store_dir' has conflicting definition values",
  },
  {
    what: "NATS' port in settings (nats.nix: settings.port = port)",
    line: "  containers.data.config.services.nats.settings.port = 4223;",
    error: "The option `services.nats.settings.port' has conflicting definition values",
  },
  {
    what: "NATS' ExecStart without mkForce (nats.nix: nats-server -c <the store JSON of settings>)",
    line: '  services.nats.enable = true;\n  systemd.services.nats.serviceConfig.ExecStart = "/run/current-system/sw/bin/nats-server -c /run/nats/nats.conf";',
    error: "The option `systemd.services.nats.serviceConfig.ExecStart' has conflicting definition values",
  },
  {
    what: "PostgreSQL's hba_file (postgresql.nix: the pg_hba.conf of `authentication`)",
    line: '  containers.data.config.services.postgresql.settings.hba_file = "/etc/pg_hba.conf";',
    error: "The option `services.postgresql.settings.hba_file' has conflicting definition values",
  },
  {
    what: "PostgreSQL's log_destination (postgresql.nix: \"stderr\")",
    line: '  containers.data.config.services.postgresql.settings.log_destination = "syslog";',
    error: "The option `services.postgresql.settings.log_destination' has conflicting definition values",
  },
  {
    what: "PostgreSQL's listen_addresses on a host (postgresql.nix: \"*\" with enableTCPIP)",
    line: '  services.postgresql = { enable = true; enableTCPIP = true; settings.listen_addresses = "10.233.1.1"; };',
    error: "The option `services.postgresql.settings.listen_addresses' has conflicting definition values",
  },
  {
    what: "Grafana's removed users.editors_can_admin (grafana.nix's assertion)",
    line: "  containers.monitoring.config.services.grafana.settings.users.editors_can_admin = true;",
    error: "Option `services.grafana.settings.users.editors_can_admin` has been removed in Grafana 12.",
  },
];

describe.skipIf(!offline.ok).each(SURFACE_BRANCHES)("upstream modules' own definitions on %s", (branch) => {
  it.each(CLASHES)("a generated module that redefines $what fails the check, naming the option", ({ line, error }) => {
    const dir = repos.create(stack(branch), encryptedSecrets(SECRETS), plant(HOST, line));
    const { status, log } = flakeCheck(dir, branch);
    expect(log).toContain(error);
    expect(status).not.toBe(0);
  });

  it("keeps upstream's mkDefault values overridable (PostgreSQL's jit, Qdrant's storage path) and its normal ones in the evaluated config", () => {
    const dir = repos.create(
      stack(branch),
      encryptedSecrets(SECRETS),
      plant(HOST, '  containers.data.config.services.postgresql.settings.jit = "on";\n  containers.data.config.services.qdrant.settings.storage.storage_path = "/srv/qdrant";'),
    );
    const { status, log } = flakeCheck(dir, branch);
    expect(log).not.toContain("error:");
    expect(status).toBe(0);
    const values = evalHost(
      dir, branch, HOST, `host: let c = host.config.containers.data.config.services; in {
        jit = c.postgresql.settings.jit;
        log = c.postgresql.settings.log_destination;
        listen = c.postgresql.settings.listen_addresses;
        qdrant = c.qdrant.settings.storage;
        nats = { inherit (c.nats.settings) jetstream port server_name; };
      }`,
    );
    expect(values.jit).toBe("on");
    expect(values.log).toBe("stderr");
    // the container's own address, over upstream's "*" (the template's mkForce)
    expect(values.listen).toBe("10.233.1.2");
    expect(values.qdrant).toEqual({ storage_path: "/srv/qdrant", snapshots_path: "/var/lib/qdrant/snapshots" });
    // NATS keeps its streams under <store_dir>/jetstream: store_dir is upstream's dataDir
    expect(values.nats).toEqual({ jetstream: { store_dir: "/var/lib/nats", max_mem: "256M", max_file: "10G" }, port: 4222, server_name: "nats" });
  });
});
