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
import { encryptedSecrets, evalHost, flakeCheck, FlakeRepos, offline, plant } from "./test-support/flake-repo.js";
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
  acmeAcceptTerms: true,
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
    { role: "monitoring", name: "monitoring", address: "10.233.1.9", alerting: { receiver: "webhook" } },
  ],
};

const STORAGE_BOX_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIrYq4hvJwDD6uEIasP6WTbzpHjj2qdemXu82irXB3/4";
const BACKUP = { kind: "backup", repository: "ssh://u1@u1.your-storagebox.de:23/./borg/vps", sshKey: "/root/.ssh/borg_ed25519", repositoryHostKey: STORAGE_BOX_KEY };

function containerStack(branch: SurfaceBranch, backend: "agenix" | "env-file"): Stack {
  const base = vpsStack({ nixpkgsBranch: branch });
  const hosts = base.hosts.map((h) => (h.name === HOST ? { ...h, services: [...h.services, CONTAINERS, BACKUP], tuning: { somaxconn: 4096, swappiness: 10, nofile: 65536 } } : h));
  return validStack({ ...base, secrets: { backend }, hosts } as never);
}

const SECRETS = ["containers-data", "containers-graph", "containers-monitoring", "backup"];

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
        network = { inherit (d) privateNetwork privateUsers hostAddress localAddress autoStart; };
        open = c.networking.firewall.allowedTCPPorts;
      }`,
    );
    expect(values.postgresql).toEqual({ listen_addresses: "10.233.1.2", port: 5432, tcp: true });
    // Redis reads requirePassFile whole: its file is the REDIS_PASSWORD= value alone, copied out of the dotenv file
    expect(values.redis).toEqual({ bind: "10.233.1.2", port: 6380, requirePassFile: "/run/redis-data-password/password", pass: null });
    expect(values.nats).toBe("10.233.1.2");
    expect(values.natsJetstream).toBe(true);
    expect(values.qdrant).toEqual({ host: "10.233.1.2", http_port: 6333, grpc_port: 6334 });
    expect(values.mount).toEqual({ hostPath: "/run/agenix/containers-data", isReadOnly: true, mountPoint: "/run/stack-secrets/containers-data" });
    // no user namespace, chosen (containers.nix, docs/services/containers.md): a bind-mounted
    // secret is not ID-mapped and would be unreadable inside with "pick"
    expect(values.network).toEqual({ privateNetwork: true, privateUsers: "no", hostAddress: "10.233.1.1", localAddress: "10.233.1.2", autoStart: true });
    // no data port is open to the whole subnet: each is opened to its sources only (below)
    expect(values.open).toEqual([]);
  });

  /** The sources each data port's iptables rule accepts, from the container's extraCommands. */
  const sourcesByPort = (rules: string) => {
    const byPort: Record<number, string[]> = {};
    for (const [, source, port] of rules.matchAll(/^iptables -w -A nixos-fw -p tcp -s (\S+) --dport (\d+) -j nixos-fw-accept$/gm)) (byPort[Number(port)] ??= []).push(source!);
    return byPort;
  };

  it("opens each data port to the host and the data container's clients (by default every app container) only, Qdrant's HTTP port to the scraper too", () => {
    const v = evalHost(dir, branch, HOST, `host: let c = host.config.containers.data.config; in { rules = c.networking.firewall.extraCommands; hba = c.services.postgresql.authentication; }`);
    const byPort = sourcesByPort(v.rules);
    for (const port of [5432, 6380, 4222, 6334]) expect(byPort[port], `port ${port}`).toEqual(["10.233.1.1", "10.233.1.3"]);
    expect(byPort[6333]).toEqual(["10.233.1.1", "10.233.1.3", "10.233.1.9"]);
    // PostgreSQL's own pg_hba.conf names the same sources, not the subnet
    expect(v.hba).toContain("host graph graph 10.233.1.3/32 scram-sha-256");
    expect(v.hba).not.toContain("10.233.1.0/24");

    // clients: ["graph"] leaves out another app container
    const withWorker = {
      ...CONTAINERS,
      containers: [
        { ...CONTAINERS.containers[0], clients: ["graph"] },
        ...CONTAINERS.containers.slice(1),
        { role: "app", name: "worker", address: "10.233.1.4", command: "/var/lib/worker/current/bin/worker" },
      ],
    };
    const base = vpsStack({ nixpkgsBranch: branch });
    const stack = validStack({ ...base, secrets: { backend: "env-file" }, hosts: base.hosts.map((h) => (h.name === HOST ? { ...h, services: [...h.services, withWorker] } : h)) } as never);
    const w = evalHost(repos.create(stack), branch, HOST, `host: { rules = host.config.containers.data.config.networking.firewall.extraCommands; open = host.config.containers.data.config.networking.firewall.allowedTCPPorts; }`);
    const only = sourcesByPort(w.rules);
    for (const port of [5432, 6380, 4222, 6334]) expect(only[port], `port ${port}`).toEqual(["10.233.1.1", "10.233.1.3"]);
    expect(w.rules).not.toContain("10.233.1.4");
    expect(w.open).toEqual([]);
  });

  it("gives Redis its password out of the data container's KEY=value secret file, before Redis starts", () => {
    const values = evalHost(
      dir, branch, HOST, `host: let c = host.config.containers.data.config; p = c.systemd.services.redis-data-password; in {
        inherit (p.serviceConfig) Type RuntimeDirectory UMask;
        redisAfter = c.systemd.services.redis-data.after;
        redisRequires = c.systemd.services.redis-data.requires;
      }`,
    );
    expect(values).toMatchObject({ Type: "oneshot", RuntimeDirectory: "redis-data-password", UMask: "0077" });
    expect(values.redisAfter).toContain("redis-data-password.service");
    expect(values.redisRequires).toContain("redis-data-password.service");
  });

  it("runs NATS with the token of the data container's secret file, merged into a runtime configuration, never in the store, and skips it without the file", () => {
    const v = evalHost(
      dir, branch, HOST, `host: let c = host.config.containers.data.config; s = c.systemd.services.nats.serviceConfig; in {
        inherit (s) ExecStart ExecStartPre ExecCondition RuntimeDirectory RuntimeDirectoryMode;
        settings = c.services.nats.settings;
        vm = c.stack.vmTest.units;
      }`,
    );
    // upstream's ExecStart reads the JSON of settings from the store (nats.nix): replaced
    expect(v.ExecStart).toMatch(/^\/nix\/store\/[a-z0-9]{32}-nats-server\/bin\/nats-server -c \/run\/nats\/nats\.conf$/);
    expect(v.ExecStartPre).toMatch(/^\+\/nix\/store\/[a-z0-9]{32}-nats-config\/bin\/nats-config$/);
    expect(v.ExecCondition).toMatch(/require-secret \/run\/stack-secrets\/containers-data nats /);
    expect(v.RuntimeDirectory).toBe("nats");
    expect(v.RuntimeDirectoryMode).toBe("0700");
    expect(JSON.stringify(v.settings)).not.toMatch(/authorization|token/);
    expect(v.vm).not.toContain("nats.service");
  });

  it("gives Qdrant its API key from the QDRANT_API_KEY line through a root-only environment file, and the snapshot the key from a file", () => {
    const v = evalHost(
      dir, branch, HOST, `host: let c = host.config.containers.data.config; q = c.systemd.services.qdrant; k = c.systemd.services.qdrant-api-key; n = c.systemd.services.qdrant-snapshot; in {
        qdrant = { inherit (q.serviceConfig) EnvironmentFile ExecCondition; inherit (q) requires after; };
        key = { inherit (k.serviceConfig) Type RemainAfterExit RuntimeDirectory RuntimeDirectoryMode UMask ExecStart ExecCondition; };
        snapshot = { inherit (n.serviceConfig) ExecStart ExecCondition; };
        settings = c.services.qdrant.settings;
        vm = { inherit (c.stack.vmTest) units skippedWithoutSecrets; };
        hostSkipped = host.config.stack.vmTest.containerSkippedWithoutSecrets.data;
        scrape = host.config.containers.monitoring.config.stack.monitoring.instances.monitoring.scrapeSecrets;
      }`,
    );
    expect(v.qdrant).toMatchObject({ EnvironmentFile: "-/run/qdrant-api-key/env", requires: expect.arrayContaining(["qdrant-api-key.service"]), after: expect.arrayContaining(["qdrant-api-key.service"]) });
    expect(v.qdrant.ExecCondition).toMatch(/require-secret \/run\/stack-secrets\/containers-data qdrant /);
    expect(v.key).toMatchObject({ Type: "oneshot", RemainAfterExit: true, RuntimeDirectory: "qdrant-api-key", RuntimeDirectoryMode: "0700", UMask: "0077" });
    expect(v.key.ExecStart).toMatch(/-qdrant-api-key\/bin\/qdrant-api-key$/);
    expect(v.key.ExecCondition).toMatch(/require-secret \/run\/stack-secrets\/containers-data qdrant-api-key /);
    expect(v.snapshot.ExecStart).toMatch(/-qdrant-snapshot\/bin\/qdrant-snapshot$/);
    expect(v.snapshot.ExecCondition).toMatch(/require-secret \/run\/stack-secrets\/containers-data qdrant-snapshot /);
    expect(JSON.stringify(v.settings)).not.toMatch(/api_key/);
    expect(v.vm.units).not.toContain("qdrant.service");
    expect(v.vm.skippedWithoutSecrets).toEqual(["postgresql-passwords.service", "nats.service", "qdrant.service"]);
    expect(v.hostSkipped).toEqual(["postgresql-passwords.service", "nats.service", "qdrant.service"]);
    // the monitoring container scrapes /metrics with the same line name from its own file
    expect(v.scrape).toEqual([{ key: "QDRANT_API_KEY", file: "qdrant_api_key" }]);
  });

  it("sets each database role's password from the secret file once the roles exist, skipped without the file, PostgreSQL running all the same", () => {
    const v = evalHost(
      dir, branch, HOST, `host: let c = host.config.containers.data.config; p = c.systemd.services.postgresql-passwords; in {
        inherit (p) after requires wantedBy;
        inherit (p.serviceConfig) Type RemainAfterExit ExecStart ExecCondition;
        units = c.stack.vmTest.units;
        hba = c.services.postgresql.authentication;
      }`,
    );
    // postgresql.target: postgresql-setup.service has created the roles (ensureUsers)
    expect(v.after).toContain("postgresql.target");
    expect(v.requires).toContain("postgresql.target");
    expect(v.wantedBy).toContain("multi-user.target");
    expect(v).toMatchObject({ Type: "oneshot", RemainAfterExit: true });
    expect(v.ExecStart).toMatch(/^\/nix\/store\/[a-z0-9]{32}-postgresql-passwords\/bin\/postgresql-passwords$/);
    expect(v.ExecCondition).toMatch(/require-secret \/run\/stack-secrets\/containers-data postgresql-passwords /);
    expect(v.units).toContain("postgresql.service");
    expect(v.hba).toContain("host workflow workflow 10.233.1.3/32 scram-sha-256");
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
        app = { inherit (c.containers.graph.config.systemd.services.graph.serviceConfig) EnvironmentFile ExecCondition; };
        waits = {
          redis = c.containers.data.config.systemd.services.redis-data.serviceConfig.ExecCondition;
          grafana = c.containers.monitoring.config.systemd.services.grafana.serviceConfig.ExecCondition;
        };
        scrape = (builtins.head (builtins.head (builtins.filter (j: j.job_name == "node") c.containers.monitoring.config.services.prometheus.scrapeConfigs)).static_configs).targets;
        exporter = { inherit (c.services.prometheus.exporters.node) listenAddress port openFirewall; after = c.systemd.services.prometheus-node-exporter.after or [ ]; };
      }`,
    );
    expect(values.limits).toEqual({ MemoryHigh: "3G", MemoryMax: "4G", CPUQuota: "200%" });
    expect(values.nat).toEqual({ enable: true, internalInterfaces: ["ve-+"], externalInterface: "ens3" });
    expect(values.open).toEqual(expect.arrayContaining([80, 443]));
    expect(values.trusted).toEqual(["lo"]);
    expect(values.veth).toEqual({ "ve-monitoring": { allowedTCPPorts: [9100], allowedUDPPorts: [] } });
    expect(values.proxy).toBe("http://10.233.1.3:8080");
    expect(values.grafana).toBe("http://10.233.1.9:3000");
    // "-" and the start check (modules/lib/require-secret.nix): a missing file skips the start, no crash loop
    expect(values.app.EnvironmentFile).toBe("-/run/stack-secrets/containers-graph");
    expect(values.app.ExecCondition).toMatch(/^\+\/nix\/store\/[^ ]+-require-secret\/bin\/require-secret \/run\/stack-secrets\/containers-graph graph /);
    const check = (file: string, unit: string) => {
      const secret = file.split("/").pop()!;
      return new RegExp(`^\\+/nix/store/[a-z0-9]+-require-secret/bin/require-secret ${file} ${unit} 'in the repo: cd secrets && agenix -e ${secret}\\.age, git add secrets/${secret}\\.age, then deploy`);
    };
    expect(values.waits.redis).toMatch(check("/run/stack-secrets/containers-data", "redis-data"));
    expect(values.waits.grafana).toMatch(check("/run/stack-secrets/containers-monitoring", "grafana"));
    // the machines' node exporters (its own and the host's); the containers' are job container (container-metrics.nix)
    expect(values.scrape).toEqual(["10.233.1.9:9100", "10.233.1.1:9100"]);
    // the veth address 10.233.1.1 exists only while a container runs: the host's exporter binds
    // every address, waits for no container, and only ve-monitoring's firewall opens its port
    expect(values.exporter).toEqual({ listenAddress: "0.0.0.0", port: 9100, openFirewall: false, after: [] });
  });

  it("carries the host's per-namespace tuning into each container and sets Redis' overcommit on the host, where it takes effect", () => {
    const values = evalHost(
      dir, branch, HOST, `host: let c = host.config; d = c.containers.data.config; in {
        hostSysctl = { inherit (c.boot.kernel.sysctl) "net.core.somaxconn" "vm.swappiness" "vm.overcommit_memory"; };
        containerSomaxconn = d.boot.kernel.sysctl."net.core.somaxconn" or null;
        containerSwappiness = d.boot.kernel.sysctl."vm.swappiness" or null;
        containerOvercommit = d.boot.kernel.sysctl."vm.overcommit_memory" or null;
        containerNofile = d.systemd.settings.Manager.DefaultLimitNOFILE or null;
        appNofile = c.containers.graph.config.systemd.settings.Manager.DefaultLimitNOFILE or null;
      }`,
    );
    expect(values.hostSysctl).toEqual({ "net.core.somaxconn": 4096, "vm.swappiness": 10, "vm.overcommit_memory": 1 });
    // net.core.* is per network namespace: the container's own systemd-sysctl sets it there
    expect(values.containerSomaxconn).toBe(4096);
    // vm.* is the kernel's, set once by the host; /proc/sys/vm is read-only in a container
    expect(values.containerSwappiness).toBeNull();
    expect(values.containerOvercommit).toBeNull();
    expect(values.containerNofile).toBe(65536);
    expect(values.appNofile).toBe(65536);
  });

  it("backs up a consistent copy of live data: dumps first, the live files left out, a changed file a warning and not a failure", () => {
    const values = evalHost(
      dir, branch, HOST, `host: let c = host.config; j = c.services.borgbackup.jobs.backup; d = c.containers.data.config; in {
        inherit (j) failOnWarnings exclude preHook;
        pgDump = { inherit (d.services.postgresqlBackup) enable backupAll startAt location; };
        qdrantSnapshot = d.systemd.services.qdrant-snapshot.serviceConfig.Type;
        qdrantAfter = d.systemd.services.qdrant-snapshot.after;
      }`,
    );
    // borgbackup.nix: failOnWarnings defaults to true, and "file changed while we backed it up"
    // (a journal, Grafana's SQLite) would fail the job before prune and the timestamp
    expect(values.failOnWarnings).toBe(false);
    expect(values.pgDump).toEqual({ enable: true, backupAll: true, startAt: [], location: "/var/backup/postgresql" });
    expect(values.qdrantSnapshot).toBe("oneshot");
    expect(values.qdrantAfter).toContain("qdrant.service");
    expect(values.exclude).toEqual([
      "/var/lib/nixos-containers/data/var/lib/postgresql",
      "/var/lib/nixos-containers/data/var/lib/private/qdrant/storage",
      "/var/lib/nixos-containers/monitoring/var/lib/prometheus2/data/chunks_head",
      "/var/lib/nixos-containers/monitoring/var/lib/prometheus2/data/wal",
    ]);
    // the dumps run inside the data container, in order, and a failed one stops the archive
    expect(values.preHook).toMatch(/systemctl --machine='?data'? start '?postgresqlBackup\.service'?;[\s\S]*exit 1[\s\S]*systemctl --machine='?data'? start '?qdrant-snapshot\.service'?;/);
  });

  it("pins the storage box's host key and refuses any other, and lets the first borg init make the repository's parents", () => {
    const values = evalHost(
      dir, branch, HOST, `host: let c = host.config; j = c.services.borgbackup.jobs.backup; in {
        rsh = j.environment.BORG_RSH;
        inherit (j) extraInitArgs;
        known = { inherit (c.programs.ssh.knownHosts.borg-backup) hostNames publicKey; };
      }`,
    );
    expect(values.rsh).toMatch(/^ssh -i '?\/root\/\.ssh\/borg_ed25519'? -o StrictHostKeyChecking=yes -o UserKnownHostsFile=\/dev\/null$/);
    expect(values.rsh).not.toContain("accept-new");
    expect(values.known).toEqual({ hostNames: ["[u1.your-storagebox.de]:23"], publicKey: STORAGE_BOX_KEY });
    expect(values.extraInitArgs).toBe("--make-parent-dirs");
  });

  it("refuses an SSH repository whose host key was taken out of the job", () => {
    const broken = repos.create(containerStack(branch, "env-file"), plant(HOST, "  stack.backup.jobs.backup.knownHost = lib.mkForce null;"));
    const { status, log } = flakeCheck(broken, branch);
    expect(status).not.toBe(0);
    expect(log).toContain("stack.backup.jobs.backup.knownHost: the repository ssh://u1@u1.your-storagebox.de:23/./borg/vps is reached over SSH");
  });

  it("creates the borg textfile directory where the node exporter module is imported but off", () => {
    // a containers host imports node-exporter.nix; without a monitoring container its exporter is off
    const noMonitoring = { ...CONTAINERS, containers: CONTAINERS.containers.filter((c) => c.role !== "monitoring") };
    const base = vpsStack({ nixpkgsBranch: branch });
    const stack = validStack({ ...base, hosts: base.hosts.map((h) => (h.name === HOST ? { ...h, services: [...h.services, noMonitoring, BACKUP] } : h)) } as never);
    const values = evalHost(repos.create(stack), branch, HOST, `host: { exporter = host.config.stack.nodeExporter.enable; rules = host.config.systemd.tmpfiles.rules; }`);
    expect(values.exporter).toBe(false);
    expect(values.rules).toContain("d /var/lib/node-exporter-textfile 0755 root root -");
  });

  it("refuses a host whose firewall is off, since only the firewall keeps the exporter to the monitoring veth", () => {
    const broken = repos.create(containerStack(branch, "env-file"), plant(HOST, "  networking.firewall.enable = lib.mkForce false;"));
    const { status, log } = flakeCheck(broken, branch);
    expect(status).not.toBe(0);
    expect(log).toContain("networking.firewall.enable must stay true");
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
