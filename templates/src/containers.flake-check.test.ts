/**
 * The containers kind under the offline `nix flake check` (the real module system over the
 * option surface, each container's config evaluated as a NixOS system of its own), on both
 * supported branches, reading the EVALUATED configuration: every data service listens on the
 * container's address only, Redis has an explicit non-zero port and its password from a file,
 * limits reach container@<name>.service, the host NATs to the uplink and opens 80/443 only.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Stack } from "@nixos-stack/core";
import { encryptedSecrets, evalHost, flakeCheck, FlakeRepos, offline } from "./test-support/flake-repo.js";
import { SURFACE_BRANCHES, type SurfaceBranch } from "./test-support/offline-inputs.js";
import { validStack, vpsStack } from "./test-support/render-to-disk.js";

const repos = new FlakeRepos("containers");
afterAll(() => repos.cleanup());

const HOST = "vps-x86";
const CONTAINERS = {
  kind: "containers",
  subnet: "10.233.1.0/24",
  externalInterface: "ens3",
  domain: "example.com",
  acmeEmail: "ops@example.com",
  containers: [
    {
      role: "data",
      name: "data",
      address: "10.233.1.2",
      limits: { memoryHigh: "3G", memoryMax: "4G", cpuQuota: "200%" },
      postgresql: { databases: ["graph", "workflow"], settings: { shared_buffers: "1GB", max_connections: 200 } },
      redis: { port: 6380 },
      nats: {},
      qdrant: {},
    },
    { role: "app", name: "graph", address: "10.233.1.3", command: "/var/lib/graph/bin/graph-server", port: 8080, subdomain: "graph", environment: { DATABASE_HOST: "10.233.1.2" }, secrets: true },
    { role: "monitoring", name: "monitoring", address: "10.233.1.9" },
  ],
};

function containerStack(branch: SurfaceBranch, backend: "agenix" | "env-file"): Stack {
  const base = vpsStack({ nixpkgsBranch: branch });
  const hosts = base.hosts.map((h) => (h.name === HOST ? { ...h, services: [...h.services, CONTAINERS] } : h));
  return validStack({ ...base, secrets: { backend }, hosts } as never);
}

const SECRETS = ["containers-data", "containers-graph", "containers-monitoring"];

describe.skipIf(!offline.ok).each(SURFACE_BRANCHES)("the containers kind on %s", (branch) => {
  const dir = repos.create(containerStack(branch, "agenix"), encryptedSecrets(SECRETS));

  it("passes the offline flake check, each container's own system included", () => {
    const { status, log } = flakeCheck(dir, branch);
    expect(log).not.toContain("error:");
    expect(status).toBe(0);
  });

  it("binds every data service to the data container's address, Redis on its explicit port with its password from the bind-mounted file", () => {
    const values = evalHost(
      dir, branch, HOST, `host: let d = host.config.containers.data; c = d.config; r = c.services.redis.servers.data; in {
        postgresql = { inherit (c.services.postgresql.settings) listen_addresses port; tcp = c.services.postgresql.enableTCPIP; };
        redis = { inherit (r) bind port requirePassFile; pass = r.requirePass; };
        nats = c.services.nats.settings.host;
        natsJetstream = c.services.nats.jetstream;
        qdrant = c.services.qdrant.settings.service;
        mount = d.bindMounts."/run/stack-secrets/containers-data";
        network = { inherit (d) privateNetwork hostAddress localAddress autoStart; };
        open = c.networking.firewall.allowedTCPPorts;
      }`,
    );
    expect(values.postgresql).toEqual({ listen_addresses: "10.233.1.2", port: 5432, tcp: true });
    expect(values.redis).toEqual({ bind: "10.233.1.2", port: 6380, requirePassFile: "/run/stack-secrets/containers-data", pass: null });
    expect(values.nats).toBe("10.233.1.2");
    expect(values.natsJetstream).toBe(true);
    expect(values.qdrant).toEqual({ host: "10.233.1.2", http_port: 6333, grpc_port: 6334 });
    expect(values.mount).toEqual({ hostPath: "/run/agenix/containers-data", isReadOnly: true, mountPoint: "/run/stack-secrets/containers-data" });
    expect(values.network).toEqual({ privateNetwork: true, hostAddress: "10.233.1.1", localAddress: "10.233.1.2", autoStart: true });
    expect(values.open).toEqual([4222, 5432, 6333, 6334, 6380, 9100]);
  });

  it("limits the container's unit, NATs to the uplink, opens 80/443 to the world and proxies the app's public name", () => {
    const values = evalHost(
      dir, branch, HOST, `host: let c = host.config; in {
        limits = c.systemd.services."container@data".serviceConfig;
        nat = { inherit (c.networking.nat) enable internalInterfaces externalInterface; };
        open = c.networking.firewall.allowedTCPPorts;
        trusted = c.networking.firewall.trustedInterfaces;
        veth = c.networking.firewall.interfaces;
        proxy = c.services.nginx.virtualHosts."graph.example.com".locations."/".proxyPass;
        grafana = c.services.nginx.virtualHosts."monitoring.example.com".locations."/".proxyPass;
        app = c.containers.graph.config.systemd.services.graph.serviceConfig.EnvironmentFile;
        waits = {
          app = c.containers.graph.config.systemd.services.graph.serviceConfig.ExecCondition;
          redis = c.containers.data.config.systemd.services.redis-data.serviceConfig.ExecCondition;
          grafana = c.containers.monitoring.config.systemd.services.grafana.serviceConfig.ExecCondition;
        };
        scrape = (builtins.head (builtins.elemAt c.containers.monitoring.config.services.prometheus.scrapeConfigs 2).static_configs).targets;
        exporterAfter = c.systemd.services.prometheus-node-exporter.after;
      }`,
    );
    expect(values.limits).toEqual({ MemoryHigh: "3G", MemoryMax: "4G", CPUQuota: "200%" });
    expect(values.nat).toEqual({ enable: true, internalInterfaces: ["ve-+"], externalInterface: "ens3" });
    expect(values.open).toEqual(expect.arrayContaining([80, 443]));
    expect(values.trusted).toEqual(["lo"]);
    expect(values.veth).toEqual({ "ve-monitoring": { allowedTCPPorts: [9100] } });
    expect(values.proxy).toBe("http://10.233.1.3:8080");
    expect(values.grafana).toBe("http://10.233.1.9:3000");
    // "-": a missing file does not fail the unit; the ExecCondition skips it with one line instead
    expect(values.app).toBe("-/run/stack-secrets/containers-graph");
    const check = (file: string, unit: string) => {
      const secret = file.split("/").pop()!;
      return new RegExp(`^\\+/nix/store/[a-z0-9]+-require-secret/bin/require-secret ${file} ${unit} 'in the repo: cd secrets && agenix -e ${secret}\\.age, git add secrets/${secret}\\.age, then deploy`);
    };
    expect(values.waits.app).toMatch(check("/run/stack-secrets/containers-graph", "graph"));
    expect(values.waits.redis).toMatch(check("/run/stack-secrets/containers-data", "redis-data"));
    expect(values.waits.grafana).toMatch(check("/run/stack-secrets/containers-monitoring", "grafana"));
    expect(values.scrape).toEqual(["10.233.1.9:9100", "10.233.1.1:9100", "10.233.1.2:9100", "10.233.1.3:9100"]);
    // the host's exporter binds the veth address 10.233.1.1, which exists once the container runs
    expect(values.exporterAfter).toContain("container@monitoring.service");
  });

  it("mounts only the secrets whose file the host has: the others' containers start, their services wait", () => {
    // the first deploy: only containers-data.age is created yet
    const partial = repos.create(containerStack(branch, "agenix"), encryptedSecrets(["containers-data"]));
    const { status, log } = flakeCheck(partial, branch);
    expect(log).not.toContain("error:");
    expect(status).toBe(0);
    expect(log).toContain("secrets/containers-graph.age does not exist yet");
    const values = evalHost(
      partial, branch, HOST, `host: let c = host.config.containers; in {
        mounts = builtins.mapAttrs (_: ct: builtins.attrNames ct.bindMounts) c;
        appWaits = c.graph.config.systemd.services.graph.serviceConfig ? ExecCondition;
        grafanaWaits = c.monitoring.config.systemd.services.grafana.serviceConfig ? ExecCondition;
      }`,
    );
    // nspawn would refuse --bind-ro=/run/agenix/containers-graph:… while that file does not exist
    expect(values.mounts).toEqual({ data: ["/run/stack-secrets/containers-data"], graph: [], monitoring: [] });
    expect(values.appWaits).toBe(true);
    expect(values.grafanaWaits).toBe(true);
  });

  it("under env-file mounts every secret over a placeholder the host keeps until the operator writes it", () => {
    const envFile = repos.create(containerStack(branch, "env-file"));
    const { status, log } = flakeCheck(envFile, branch);
    expect(log).not.toContain("error:");
    expect(status).toBe(0);
    const values = evalHost(
      envFile, branch, HOST, `host: let c = host.config; in {
        mounts = builtins.mapAttrs (_: ct: builtins.mapAttrs (_: m: m.hostPath) ct.bindMounts) c.containers;
        tmpfiles = builtins.filter (r: builtins.match ".*containers-.*" r != null || builtins.match "d /etc/.*" r != null) c.systemd.tmpfiles.rules;
        how = c.containers.graph.config.systemd.services.graph.serviceConfig.ExecCondition;
      }`,
    );
    const dir = "/etc/test-infra/secrets";
    expect(values.mounts).toEqual({
      data: { "/run/stack-secrets/containers-data": `${dir}/containers-data.env` },
      graph: { "/run/stack-secrets/containers-graph": `${dir}/containers-graph.env` },
      monitoring: { "/run/stack-secrets/containers-monitoring": `${dir}/containers-monitoring.env` },
    });
    expect(values.tmpfiles).toEqual([
      `d ${dir} 0700 root root -`,
      `f ${dir}/containers-data.env 0400 root root -`,
      `f ${dir}/containers-graph.env 0400 root root -`,
      `f ${dir}/containers-monitoring.env 0400 root root -`,
    ]);
    expect(values.how).toContain(`then systemctl restart container@graph`);
  });

  it("fails upstream's name assertion for a container name nixos-containers refuses", () => {
    const broken = repos.create(containerStack(branch, "env-file"), (d) => {
      const file = join(d, "hosts", HOST, "configuration.nix");
      writeFileSync(file, readFileSync(file, "utf8").replace("{ pkgs, ... }:\n{\n", '{ pkgs, ... }:\n{\n  containers.bad_name = { privateNetwork = true; config = { }; };\n'));
    });
    const { status, log } = flakeCheck(broken, branch);
    expect(status).not.toBe(0);
    expect(log).toContain("Names containing underscores are not allowed in nixos-containers");
  });
});
