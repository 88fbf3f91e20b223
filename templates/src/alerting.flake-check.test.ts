/**
 * Alerting and the containers' metrics under the offline `nix flake check` (the real module
 * system over the option surface), on both supported branches, reading the EVALUATED
 * configuration: Alertmanager notifies the receiver the manifest chose with its secrets read from
 * files, the data containers' exporters answer only the monitoring container, a container's node
 * exporter leaves out the host's figures. The evaluated Prometheus and Alertmanager configurations
 * are then judged by the real `promtool check config` and `amtool check-config` (Debian's
 * `prometheus` and `prometheus-alertmanager`; skipped, saying so, where they are missing), as
 * upstream's checkConfig runs them at build time.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Stack } from "@nixos-stack/core";
import { encryptedSecrets, evalHost, flakeCheck, FlakeRepos, offline, plant } from "./test-support/flake-repo.js";
import { SURFACE_BRANCHES, type SurfaceBranch } from "./test-support/offline-inputs.js";
import { validStack, vpsStack } from "./test-support/render-to-disk.js";

const repos = new FlakeRepos("alerting");
const scratch = mkdtempSync(join(tmpdir(), "nixos-stack-alerting-"));
afterAll(() => {
  repos.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

const tool = (name: string, args: string[]) => spawnSync(name, args, { encoding: "utf8" });
const promtool = tool("promtool", ["--version"]).status === 0;
const amtoolVersion = /version (\d+)\.(\d+)/.exec(tool("amtool", ["--version"]).stderr + tool("amtool", ["--version"]).stdout);
if (!promtool) console.warn("alerting.flake-check.test.ts: promtool check config is skipped: promtool is not installed (Debian: apt-get install prometheus)");
if (!amtoolVersion) console.warn("alerting.flake-check.test.ts: amtool check-config is skipped: amtool is not installed (Debian: apt-get install prometheus-alertmanager)");
/** url_file (the webhook's URL from a file) is Alertmanager 0.26's; Debian 12 has 0.25 */
const amtoolKnowsUrlFile = amtoolVersion !== null && (Number(amtoolVersion[1]) > 0 || Number(amtoolVersion[2]) >= 26);

const HOST = "vps-x86";
const EMAIL = { receiver: "email", to: "ops@example.com", from: "alerts@example.com", smarthost: "smtp.example.com:587", username: "alerts@example.com" };
const monitoring = (alerting: unknown) => ({ kind: "monitoring", domain: "example.com", acmeEmail: "ops@example.com", acmeAcceptTerms: true, alerting });
const CONTAINERS = {
  kind: "containers",
  subnet: "10.233.1.0/24",
  externalInterface: "ens3",
  domain: "example.com",
  acmeEmail: "ops@example.com", acmeAcceptTerms: true,
  containers: [
    { role: "data", name: "data", address: "10.233.1.2", limits: { memoryHigh: "3G", memoryMax: "4G" }, postgresql: { databases: ["graph"] }, redis: {}, nats: {}, qdrant: {} },
    { role: "app", name: "graph", address: "10.233.1.3", command: "/var/lib/graph/bin/graph-server", port: 8080 },
    { role: "monitoring", name: "monitoring", address: "10.233.1.9", alerting: { receiver: "webhook" } },
  ],
};

function stackWith(branch: SurfaceBranch, services: unknown[]): Stack {
  const base = vpsStack({ nixpkgsBranch: branch });
  return validStack({ ...base, secrets: { backend: "agenix" }, hosts: base.hosts.map((h) => (h.name === HOST ? { ...h, services: [...h.services, ...services] } : h)) } as never);
}

/** What upstream writes to prometheus.yml from the options (prometheus/default.nix promConfig: nulls and _module dropped). */
const PROMETHEUS_YML = `p: {
    global = p.globalConfig;
    rule_files = map toString p.ruleFiles;
    scrape_configs = p.scrapeConfigs;
    alerting.alertmanagers = p.alertmanagers;
    checkConfig = p.checkConfig;
  }`;
const dropNulls = (value: unknown): unknown =>
  Array.isArray(value) ? value.map(dropNulls) : value && typeof value === "object" ? Object.fromEntries(Object.entries(value).filter(([k, v]) => v !== null && k !== "_module").map(([k, v]) => [k, dropNulls(v)])) : value;

/** promtool check config as upstream's checkConfig runs it ("syntax-only" adds --syntax-only). */
function promtoolCheckConfig(name: string, evaluated: { checkConfig: boolean | string } & Record<string, unknown>, mode = evaluated.checkConfig) {
  const { checkConfig: _c, ...config } = evaluated;
  const file = join(scratch, `${name}.prometheus.yml`);
  writeFileSync(file, JSON.stringify(dropNulls(config)));
  const r = tool("promtool", ["check", "config", ...(mode === "syntax-only" ? ["--syntax-only"] : []), file]);
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function amtoolCheckConfig(name: string, configuration: unknown) {
  const file = join(scratch, `${name}.alertmanager.yml`);
  writeFileSync(file, JSON.stringify(configuration));
  const r = tool("amtool", ["check-config", file]);
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe.runIf(offline.ok).each(SURFACE_BRANCHES)("alerting on %s", (branch) => {
  const emailRepo = repos.create(stackWith(branch, [monitoring(EMAIL)]), encryptedSecrets(["monitoring", "gateway"]));
  const containersRepo = repos.create(stackWith(branch, [CONTAINERS]), encryptedSecrets(["containers-data", "containers-monitoring", "gateway"]));

  it("passes the flake check with an e-mail receiver and with a containers host", () => {
    for (const dir of [emailRepo, containersRepo]) {
      const { status, log } = flakeCheck(dir, branch);
      expect(log).not.toContain("error:");
      expect(status).toBe(0);
    }
  });

  it("runs Alertmanager on 127.0.0.1 without clustering, e-mailing the receiver with the SMTP password read from a file, and Prometheus sends to it", () => {
    const v = evalHost(
      emailRepo, branch, HOST, `host: let c = host.config; a = c.services.prometheus.alertmanager; s = c.systemd.services.alertmanager.serviceConfig; in {
        inherit (a) enable listenAddress port openFirewall extraFlags configuration checkConfig;
        alertmanagers = c.services.prometheus.alertmanagers;
        groups = s.SupplementaryGroups; waits = s.ExecCondition; pre = s.ExecStartPre;
        group = c.users.groups ? alertmanager-secrets;
        vm = { inherit (c.stack.vmTest) skippedWithoutSecrets; };
      }`,
    );
    expect(v).toMatchObject({ enable: true, listenAddress: "127.0.0.1", port: 9093, openFirewall: false, extraFlags: ["--cluster.listen-address="], checkConfig: true });
    expect(v.configuration.global).toEqual({ smtp_smarthost: "smtp.example.com:587", smtp_from: "alerts@example.com", smtp_require_tls: true, smtp_auth_username: "alerts@example.com", smtp_auth_password_file: "/run/alertmanager-secrets/smtp_password" });
    expect(v.configuration.receivers).toEqual([{ name: "operator", email_configs: [{ to: "ops@example.com", send_resolved: true }] }]);
    expect(JSON.stringify(v.configuration)).not.toMatch(/"smtp_auth_password"|"url"/);
    expect(v.alertmanagers).toEqual([{ static_configs: [{ targets: ["127.0.0.1:9093"] }] }]);
    expect(v.groups).toEqual(["alertmanager-secrets"]);
    expect(v.group).toBe(true);
    expect(v.waits).toMatch(/require-secret \/run\/agenix\/monitoring alertmanager /);
    expect(v.pre).toEqual([expect.stringMatching(/^\+\/nix\/store\/[a-z0-9]{32}-alertmanager-secrets\/bin\/alertmanager-secrets$/)]);
    expect(v.vm.skippedWithoutSecrets).toContain("alertmanager.service");
    if (amtoolVersion) {
      // the password file does not exist here, as it does not in the build sandbox: amtool passes all the same
      const r = amtoolCheckConfig(`email-${branch}`, v.configuration);
      expect(r.out).toContain("SUCCESS");
      expect(r.status).toBe(0);
    }
  });

  it("sends to a webhook whose URL is read from a file, and with receiver none runs no Alertmanager", () => {
    const webhook = evalHost(containersRepo, branch, HOST, `host: host.config.containers.monitoring.config.services.prometheus.alertmanager.configuration`);
    expect(webhook.receivers).toEqual([{ name: "operator", webhook_configs: [{ url_file: "/run/alertmanager-secrets/webhook_url", send_resolved: true }] }]);
    expect(webhook.global).toEqual({});
    if (!amtoolKnowsUrlFile) console.warn(`alerting.flake-check.test.ts: the webhook configuration's amtool check is skipped: url_file needs Alertmanager >= 0.26, amtool here is ${amtoolVersion?.[0] ?? "missing"}`);
    else expect(amtoolCheckConfig(`webhook-${branch}`, webhook).status).toBe(0);

    const none = evalHost(repos.create(stackWith(branch, [monitoring({ receiver: "none" })]), encryptedSecrets(["monitoring", "gateway"])), branch, HOST, `host: { am = host.config.services.prometheus.alertmanager.enable; to = host.config.services.prometheus.alertmanagers; }`);
    expect(none).toEqual({ am: false, to: [] });
  });

  it("fails upstream's assertion when Alertmanager is left without a configuration", () => {
    const { status, log } = flakeCheck(repos.create(stackWith(branch, [monitoring(EMAIL)]), encryptedSecrets(["monitoring", "gateway"]), plant(HOST, "  services.prometheus.alertmanager.configuration = lib.mkForce null;")), branch);
    expect(status).not.toBe(0);
    expect(log).toContain("Can not enable alertmanager without a configuration");
  });

  it("gives each data service an exporter on the data container's address, open to the monitoring container only", () => {
    const v = evalHost(
      containersRepo, branch, HOST, `host: let d = host.config.containers.data.config; e = d.services.prometheus.exporters; in {
        postgres = { inherit (e.postgres) enable listenAddress port runAsLocalSuperUser openFirewall; };
        redis = { inherit (e.redis) enable listenAddress port extraFlags openFirewall; env = d.systemd.services.prometheus-redis-exporter.serviceConfig.EnvironmentFile; };
        nats = { inherit (e.nats) enable listenAddress port url extraFlags; monitor = d.services.nats.settings.http; };
        rules = d.networking.firewall.extraCommands;
        open = d.networking.firewall.allowedTCPPorts;
        collectors = d.services.prometheus.exporters.node.disabledCollectors;
        hostCollectors = host.config.services.prometheus.exporters.node.disabledCollectors;
        appExporters = host.config.containers.graph.config.services.prometheus.exporters.postgres.enable;
      }`,
    );
    expect(v.postgres).toEqual({ enable: true, listenAddress: "10.233.1.2", port: 9187, runAsLocalSuperUser: true, openFirewall: false });
    expect(v.redis).toEqual({ enable: true, listenAddress: "10.233.1.2", port: 9121, extraFlags: ["-redis.addr=redis://10.233.1.2:6379"], openFirewall: false, env: "-/run/redis-data-password/exporter.env" });
    expect(v.nats).toEqual({ enable: true, listenAddress: "10.233.1.2", port: 7777, url: "http://127.0.0.1:8222", extraFlags: ["-varz", "-healthz"], monitor: "127.0.0.1:8222" });
    for (const port of [9187, 9121, 7777]) {
      expect(v.rules).toContain(`iptables -w -A nixos-fw -p tcp -s 10.233.1.9 --dport ${port} -j nixos-fw-accept`);
      expect(v.open).not.toContain(port);
    }
    // inside a container these read the host's /proc and statfs: left out; the host keeps them
    expect(v.collectors).toEqual(expect.arrayContaining(["meminfo", "filesystem", "cpu", "loadavg"]));
    expect(v.hostCollectors).toEqual([]);
    expect(v.appExporters).toBe(false);
  });

  it("opens each container's node exporter to the host and the monitoring container only, not to the subnet", () => {
    const v = evalHost(
      containersRepo, branch, HOST, `host: {
        hostAddress = host.config.stack.containers.hostAddress;
        app = { rules = host.config.containers.graph.config.networking.firewall.extraCommands; open = host.config.containers.graph.config.networking.firewall.allowedTCPPorts; };
      }`,
    );
    // before: 9100 in every container's allowedTCPPorts, open to every container on the subnet
    expect(v.app.open).not.toContain(9100);
    expect(v.app.rules).toContain(`iptables -w -A nixos-fw -p tcp -s ${v.hostAddress} --dport 9100 -j nixos-fw-accept`);
    expect(v.app.rules).toContain("iptables -w -A nixos-fw -p tcp -s 10.233.1.9 --dport 9100 -j nixos-fw-accept");
    expect(v.app.rules.match(/--dport 9100 /g)).toHaveLength(2);
  });

  it("opens the monitoring container's Grafana and Prometheus to the host only, not to the other containers", () => {
    const v = evalHost(
      containersRepo, branch, HOST, `host: let m = host.config.containers.monitoring.config; in {
        hostAddress = host.config.stack.containers.hostAddress;
        open = m.networking.firewall.allowedTCPPorts;
        rules = m.networking.firewall.extraCommands;
        ports = [ m.services.grafana.settings.server.http_port m.services.prometheus.port ];
      }`,
    );
    for (const port of v.ports) {
      // before: both in allowedTCPPorts, Prometheus' unauthenticated API open to every container
      expect(v.open).not.toContain(port);
      expect(v.rules.match(new RegExp(`--dport ${port} `, "g"))).toEqual([`--dport ${port} `]);
      expect(v.rules).toContain(`iptables -w -A nixos-fw -p tcp -s ${v.hostAddress} --dport ${port} -j nixos-fw-accept`);
    }
  });

  it("scrapes the containers (labelled), their exporters and Qdrant with its key from a file, and the host writes each container's resources", () => {
    const v = evalHost(
      containersRepo, branch, HOST, `host: let m = host.config.containers.monitoring.config; p = m.services.prometheus; in {
        jobs = map (j: { inherit (j) job_name; auth = j.authorization; targets = map (s: { inherit (s) targets labels; }) j.static_configs; }) p.scrapeConfigs;
        inherit (p) checkConfig;
        pre = m.systemd.services.prometheus.serviceConfig.ExecStartPre;
        timer = host.config.systemd.timers.container-resources.timerConfig.OnUnitActiveSec;
        collector = host.config.systemd.services.container-resources.serviceConfig.CapabilityBoundingSet;
      }`,
    );
    const job = (name: string) => v.jobs.find((j: { job_name: string }) => j.job_name === name);
    expect(job("container").targets).toEqual([
      { targets: ["10.233.1.2:9100"], labels: { container: "data" } },
      { targets: ["10.233.1.3:9100"], labels: { container: "graph" } },
      { targets: ["10.233.1.9:9100"], labels: { container: "monitoring" } },
    ]);
    expect(job("postgresql").targets).toEqual([{ targets: ["10.233.1.2:9187"], labels: { container: "data" } }]);
    expect(job("redis").targets[0].targets).toEqual(["10.233.1.2:9121"]);
    expect(job("nats").targets[0].targets).toEqual(["10.233.1.2:7777"]);
    expect(job("qdrant")).toMatchObject({ auth: { credentials_file: "/run/prometheus-secrets/qdrant_api_key" }, targets: [{ targets: ["10.233.1.2:6333"] }] });
    expect(job("alertmanager").targets[0].targets).toEqual(["127.0.0.1:9093"]);
    expect(v.checkConfig).toBe("syntax-only");
    expect(v.pre).toEqual([expect.stringMatching(/-prometheus-scrape-secrets\/bin\/prometheus-scrape-secrets$/)]);
    expect(v.timer).toBe("1min");
    expect(v.collector).toEqual(["CAP_DAC_READ_SEARCH"]);
  });

  it.runIf(promtool)("gives promtool check config a valid configuration, and shows why a credentials file needs syntax-only", () => {
    const plain = evalHost(emailRepo, branch, HOST, `host: (${PROMETHEUS_YML}) host.config.services.prometheus`);
    expect(plain.checkConfig).toBe(true);
    const r = promtoolCheckConfig(`host-${branch}`, plain);
    expect(r.out).toContain("SUCCESS");
    expect(r.status, r.out).toBe(0);

    const monitoringContainer = evalHost(containersRepo, branch, HOST, `host: (${PROMETHEUS_YML}) host.config.containers.monitoring.config.services.prometheus`);
    const syntax = promtoolCheckConfig(`containers-${branch}`, monitoringContainer);
    expect(syntax.status, syntax.out).toBe(0);
    // the full check (checkConfig = true) stats Qdrant's key file, which the build sandbox never has
    const full = promtoolCheckConfig(`containers-full-${branch}`, monitoringContainer, true);
    expect(full.status).not.toBe(0);
    expect(full.out).toContain('error checking authorization credentials or bearer token file "/run/prometheus-secrets/qdrant_api_key"');
  });

  it("lets the host's own monitoring service scrape the containers when there is no monitoring container, its exporters open to the host's veth address", () => {
    const noMonitoringContainer = { ...CONTAINERS, containers: CONTAINERS.containers.filter((c) => c.role !== "monitoring") };
    const dir = repos.create(stackWith(branch, [monitoring({ receiver: "none" }), noMonitoringContainer]), encryptedSecrets(["monitoring", "containers-data", "gateway"]));
    expect(flakeCheck(dir, branch).status).toBe(0);
    const v = evalHost(
      dir, branch, HOST, `host: let c = host.config; in {
        jobs = map (j: j.job_name) c.services.prometheus.scrapeConfigs;
        node = (builtins.head (builtins.head (builtins.filter (j: j.job_name == "node") c.services.prometheus.scrapeConfigs)).static_configs).targets;
        rules = c.containers.data.config.networking.firewall.extraCommands;
        secrets = c.stack.monitoring.instances.monitoring.scrapeSecrets;
      }`,
    );
    expect(v.jobs).toEqual(expect.arrayContaining(["prometheus", "grafana", "node", "container", "postgresql", "redis", "nats", "qdrant"]));
    // the host's own exporter once, at 127.0.0.1 (its veth address would be the same exporter again)
    expect(v.node).toEqual(["127.0.0.1:9100"]);
    expect(v.rules).toContain("-s 10.233.1.1 --dport 9187");
    expect(v.secrets).toEqual([{ key: "QDRANT_API_KEY", file: "qdrant_api_key" }]);
  });
});
