/**
 * The monitoring, backup and home-service kinds and host tuning under the offline `nix flake
 * check` (the real module system over the option surface, test-fixtures/stub-inputs), on both
 * supported branches, reading the EVALUATED configuration: Grafana's secrets and Borg's
 * passphrase come from the secrets backend's files, every stateful path of the host is in a
 * backup job, sysctl values keep their types, and each alert's metric source is switched on.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Stack } from "@nixos-stack/core";
import { encryptedSecrets, evalHost, flakeCheck, FlakeRepos, offline, plant } from "./test-support/flake-repo.js";
import { SURFACE_BRANCHES, type SurfaceBranch } from "./test-support/offline-inputs.js";
import { validStack, vpsStack } from "./test-support/render-to-disk.js";

const repos = new FlakeRepos("monitoring");
afterAll(() => repos.cleanup());

const HOST = "vps-x86";
const MONITORING = { kind: "monitoring", domain: "example.com", acmeEmail: "ops@example.com", acmeAcceptTerms: true, alerting: { receiver: "email", to: "ops@example.com", from: "alerts@example.com", smarthost: "smtp.example.com:587", username: "alerts@example.com" } };
const BACKUP = { kind: "backup", repository: "ssh://u1@u1.your-storagebox.de:23/./borg", paths: ["/srv/uploads"], repositoryHostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIrYq4hvJwDD6uEIasP6WTbzpHjj2qdemXu82irXB3/4" };
const HOME_SERVICE = { kind: "home-service", name: "bot", user: "bot", command: "exec /home/bot/bin/bot", port: 8090 };
const TUNING = { somaxconn: 4096, tcpMaxSynBacklog: 8192, swappiness: 10, nofile: 65536, sysctl: { "net.ipv4.ip_local_port_range": "10240 65535" } };

function monitoredStack(branch: SurfaceBranch, backend: "agenix" | "sops" | "env-file", services: unknown[] = [MONITORING, BACKUP, HOME_SERVICE]): Stack {
  const base = vpsStack({ nixpkgsBranch: branch });
  const hosts = base.hosts.map((h) => (h.name === HOST ? { ...h, services: [...h.services, ...services], tuning: TUNING } : h));
  return validStack({ ...base, secrets: { backend }, hosts } as never);
}

/** what `agenix -e` would have committed: only the shape matters to evaluation */
/**
 * The host's stateful paths as the evaluated configuration declares them, independently of the
 * TypeScript list that fills the backup jobs: Prometheus' stateDir, Grafana's dataDir, the home of
 * every lingering (home-manager service) user, every systemd StateDirectory, every container's
 * state and PostgreSQL's dataDir where those modules are present; and what the borg jobs back up.
 */
const STATE_AND_BACKUPS = `host: let
    c = host.config; o = host.options;
    optional = cond: x: if cond then [ x ] else [ ];
    toList = x: if builtins.isList x then x else [ x ];
  in {
    stateful =
      optional c.services.prometheus.enable "/var/lib/\${c.services.prometheus.stateDir}"
      ++ optional c.services.grafana.enable c.services.grafana.dataDir
      ++ map (u: u.home) (builtins.filter (u: u.linger == true) (builtins.attrValues c.users.users))
      ++ builtins.concatMap (s: map (d: "/var/lib/" + d) (toList (s.serviceConfig.StateDirectory or [ ]))) (builtins.attrValues c.systemd.services)
      ++ (if o ? containers then map (n: "/var/lib/nixos-containers/" + n) (builtins.attrNames c.containers) else [ ])
      ++ (if o.services ? postgresql && c.services.postgresql.enable then [ c.services.postgresql.dataDir ] else [ ]);
    backedUp = builtins.concatMap (j: j.paths) (builtins.attrValues c.services.borgbackup.jobs);
  }`;

const uncovered = ({ stateful, backedUp }: { stateful: string[]; backedUp: string[] }) =>
  stateful.filter((path) => !backedUp.some((b) => path === b || path.startsWith(b.endsWith("/") ? b : `${b}/`)));

describe.runIf(offline.ok).each(SURFACE_BRANCHES)("monitoring, backup, home-service and tuning against the %s option surface", (branch) => {
  const agenixRepo = () => repos.create(monitoredStack(branch, "agenix"), encryptedSecrets(["monitoring", "backup", "bot", "gateway"]));

  it("passes the flake check with every kind on one host, its secrets encrypted", () => {
    const { status, log } = flakeCheck(agenixRepo(), branch);
    expect(log).not.toMatch(/error|does not exist yet/);
    expect(status).toBe(0);
  });

  it("gives Grafana its admin password and secret key through $__file{} from the agenix secret, and Borg its passphrase by passCommand, never a literal", () => {
    const values = evalHost(
      agenixRepo(), branch, HOST, `host: let c = host.config; in {
        security = { inherit (c.services.grafana.settings.security) admin_password secret_key; };
        secretsFile = c.stack.monitoring.instances.monitoring.secretsFile;
        monitoringSecret = c.age.secrets.monitoring.path;
        preStart = c.systemd.services.grafana.serviceConfig.ExecStartPre;
        waits = c.systemd.services.grafana.serviceConfig.ExecCondition;
        borg = { inherit (c.services.borgbackup.jobs.backup.encryption) mode passCommand passphrase; };
        backupSecret = c.age.secrets.backup.path;
      }`,
    );
    expect(values.security).toEqual({ admin_password: "$__file{/run/grafana-secrets/admin_password}", secret_key: "$__file{/run/grafana-secrets/secret_key}" });
    // the files Grafana reads are copied, by root before it starts, from the backend's decrypted file
    expect(values.secretsFile).toBe("/run/agenix/monitoring");
    expect(values.monitoringSecret).toBe("/run/agenix/monitoring");
    // (beside upstream's own preStart entry: grafana.nix's preStart is an ExecStartPre too)
    expect(values.preStart).toEqual(expect.arrayContaining([expect.stringMatching(/^\+\/nix\/store\/[a-z0-9]{32}-grafana-secrets\/bin\/grafana-secrets$/)]));
    expect(values.preStart.filter((entry: string) => entry.startsWith("+"))).toHaveLength(1);
    // while the file is missing Grafana is skipped with one journal line, not restarted into its start limit
    expect(values.waits).toMatch(/^\+\/nix\/store\/[a-z0-9]{32}-require-secret\/bin\/require-secret \/run\/agenix\/monitoring grafana 'create it with GRAFANA_ADMIN_PASSWORD= and GRAFANA_SECRET_KEY= lines/);
    expect(values.borg.mode).toBe("repokey-blake2");
    expect(values.borg.passphrase).toBeNull();
    expect(values.borg.passCommand).toMatch(/^\/nix\/store\/[a-z0-9]{32}-dotenv-value\/bin\/dotenv-value BORG_PASSPHRASE '?\/run\/agenix\/backup'?$/);
    expect(values.backupSecret).toBe("/run/agenix/backup");
  });

  it("under env-file, reads both from /etc/<stack>/secrets/<service>.env", () => {
    const values = evalHost(repos.create(monitoredStack(branch, "env-file")), branch, HOST, `host: { grafana = host.config.stack.monitoring.instances.monitoring.secretsFile; borg = host.config.services.borgbackup.jobs.backup.encryption.passCommand; }`);
    expect(values.grafana).toBe("/etc/test-infra/secrets/monitoring.env");
    expect(values.borg).toMatch(/ BORG_PASSPHRASE '?\/etc\/test-infra\/secrets\/backup\.env'?$/);
  });

  it("under sops, reads both from the files sops-nix decrypts (dotenv format, /run/secrets/<service>)", () => {
    const sopsEncrypted = (dir: string) =>
      ["monitoring", "backup", "bot", "gateway"].forEach((n) => writeFileSync(join(dir, `secrets/${n}.env`), "KEY=ENC[AES256_GCM,data:abc,iv:def,tag:ghi,type:str]\nsops_version=3.9.0\n"));
    const dir = repos.create(monitoredStack(branch, "sops"), sopsEncrypted);
    expect(flakeCheck(dir, branch).status).toBe(0);
    const values = evalHost(dir, branch, HOST, `host: let c = host.config; in { grafana = c.stack.monitoring.instances.monitoring.secretsFile; format = c.sops.secrets.monitoring.format; borg = c.services.borgbackup.jobs.backup.encryption.passCommand; }`);
    expect(values).toMatchObject({ grafana: "/run/secrets/monitoring", format: "dotenv" });
    expect(values.borg).toMatch(/ BORG_PASSPHRASE '?\/run\/secrets\/backup'?$/);
  });

  it("fails the check, naming the option, when a literal Grafana secret key or Borg passphrase is planted", () => {
    const grafana = flakeCheck(repos.create(monitoredStack(branch, "agenix"), plant(HOST, '  services.grafana.settings.security.secret_key = lib.mkForce "hunter2";')), branch);
    expect(grafana.status).not.toBe(0);
    expect(grafana.log).toContain("services.grafana.settings.security.{admin_password,secret_key}: each must be read from a file");
    const borg = flakeCheck(repos.create(monitoredStack(branch, "agenix"), plant(HOST, '  services.borgbackup.jobs.backup.encryption.passphrase = "hunter2";')), branch);
    expect(borg.status).not.toBe(0);
    expect(borg.log).toContain("services.borgbackup.jobs.backup.encryption.passphrase: a literal passphrase ends up in the world-readable Nix store");
  });

  it("backs up every stateful path of the host (Prometheus, Grafana, the home services' homes) and the paths the manifest adds", () => {
    const found = evalHost(agenixRepo(), branch, HOST, STATE_AND_BACKUPS);
    expect(found.stateful).toEqual(expect.arrayContaining(["/var/lib/prometheus2", "/var/lib/grafana", "/home/bot", "/home/gateway"]));
    expect(uncovered(found)).toEqual([]);
    expect(found.backedUp).toContain("/srv/uploads");
  });

  it("would report a stateful path no job covers (the check above can fail)", () => {
    const dir = repos.create(monitoredStack(branch, "agenix"), plant(HOST, '  systemd.services.ledger.serviceConfig.StateDirectory = "ledger";'));
    expect(uncovered(evalHost(dir, branch, HOST, STATE_AND_BACKUPS))).toEqual(["/var/lib/ledger"]);
  });

  it("keeps sysctl integers integers and the open-file limit an integer", () => {
    const types = evalHost(
      agenixRepo(), branch, HOST, `host: let c = host.config; in {
        sysctl = builtins.mapAttrs (_: builtins.typeOf) { inherit (c.boot.kernel.sysctl) "net.core.somaxconn" "net.ipv4.tcp_max_syn_backlog" "vm.swappiness" "net.ipv4.ip_local_port_range"; };
        values = { inherit (c.boot.kernel.sysctl) "net.core.somaxconn" "vm.swappiness"; };
        manager = builtins.typeOf c.systemd.settings.Manager.DefaultLimitNOFILE;
        pam = c.security.pam.loginLimits;
      }`,
    );
    expect(types.sysctl).toEqual({ "net.core.somaxconn": "int", "net.ipv4.tcp_max_syn_backlog": "int", "vm.swappiness": "int", "net.ipv4.ip_local_port_range": "string" });
    expect(types.values).toEqual({ "net.core.somaxconn": 4096, "vm.swappiness": 10 });
    expect(types.manager).toBe("int");
    expect(types.pam).toEqual([{ domain: "*", type: "-", item: "nofile", value: 65536 }]);
  });

  it("switches on every metric source the alert rules read, and serves Grafana at monitoring.<domain> with ACME", () => {
    const values = evalHost(
      agenixRepo(), branch, HOST, `host: let c = host.config; in {
        jobs = map (j: j.job_name) c.services.prometheus.scrapeConfigs;
        node = { inherit (c.services.prometheus.exporters.node) enable listenAddress enabledCollectors extraFlags; };
        rules = map baseNameOf (map toString c.services.prometheus.ruleFiles);
        certTimer = c.systemd.timers ? tls-certificate-expiry;
        borgMetric = c.services.borgbackup.jobs.backup.postCreate;
        grafanaListens = c.services.grafana.settings.server.http_addr;
        prometheusListens = c.services.prometheus.listenAddress;
        vhost = let v = c.services.nginx.virtualHosts."monitoring.example.com"; in { inherit (v) enableACME forceSSL; proxy = v.locations."/".proxyPass; ws = v.locations."/".proxyWebsockets; };
        acme = { inherit (c.security.acme) acceptTerms; email = c.security.acme.defaults.email; };
        firewall = c.networking.firewall.allowedTCPPorts;
      }`,
    );
    // Alertmanager's own metrics: AlertNotificationsFailing (modules/services/alertmanager.nix)
    expect([...values.jobs].sort()).toEqual(["alertmanager", "grafana", "node", "prometheus"]);
    expect(values.node).toEqual({ enable: true, listenAddress: "127.0.0.1", enabledCollectors: ["systemd"], extraFlags: ["--collector.textfile.directory=/var/lib/node-exporter-textfile"] });
    expect(values.rules[0]).toMatch(/-monitoring\.rules\.json$|^monitoring\.rules\.json$/);
    expect(values.certTimer).toBe(true);
    expect(values.borgMetric).toContain("stack_backup_last_success_timestamp_seconds");
    expect(values.borgMetric).toContain("/var/lib/node-exporter-textfile/borg-backup.prom");
    expect([values.grafanaListens, values.prometheusListens]).toEqual(["127.0.0.1", "127.0.0.1"]);
    expect(values.vhost).toEqual({ enableACME: true, forceSSL: true, proxy: "http://127.0.0.1:3000", ws: true });
    expect(values.acme).toEqual({ acceptTerms: true, email: "ops@example.com" });
    expect(values.firewall).toEqual(expect.arrayContaining([80, 443]));
  });

  it("runs the home service's command as its own lingering user's home-manager service, with its port and decrypted secrets", () => {
    const values = evalHost(
      agenixRepo(), branch, HOST, `host: let c = host.config; s = c.home-manager.users.bot.systemd.user.services.bot; in {
        inherit (s.Service) ExecStart Environment EnvironmentFile;
        wantedBy = s.Install.WantedBy;
        user = { inherit (c.users.users.bot) isNormalUser linger home; };
      }`,
    );
    // home-manager's unit options hold lists (one Key= line each)
    expect(values.ExecStart).toEqual([expect.stringMatching(/^\/nix\/store\/[a-z0-9]{32}-bot-service\/bin\/bot-service$/)]);
    expect(values.Environment).toEqual(["HOST=127.0.0.1", "PORT=8090"]);
    expect(values.EnvironmentFile).toBe("-/run/agenix/bot");
    expect(values.wantedBy).toEqual(["default.target"]);
    expect(values.user).toEqual({ isNormalUser: true, linger: true, home: "/home/bot" });
  });

  it("runs as a container's monitoring too: listening on the container's address, no nginx of its own", () => {
    const dir = repos.create(
      monitoredStack(branch, "agenix"),
      encryptedSecrets(["monitoring", "backup", "bot", "gateway"]),
      plant(HOST, '  stack.monitoring.instances.monitoring = { nginx = false; listenAddress = "10.233.1.5"; };\n  stack.nodeExporter.listenAddress = "10.233.1.5";'),
    );
    expect(flakeCheck(dir, branch).status).toBe(0);
    const values = evalHost(
      dir, branch, HOST, `host: let c = host.config; in {
        grafana = c.services.grafana.settings.server.http_addr;
        prometheus = c.services.prometheus.listenAddress;
        datasource = (builtins.head c.services.grafana.provision.datasources.settings.datasources).url;
        targets = map (j: (builtins.head j.static_configs).targets) c.services.prometheus.scrapeConfigs;
        vhosts = if c.services.nginx.enable then builtins.attrNames c.services.nginx.virtualHosts else [ ];
        certTimer = c.systemd.timers ? tls-certificate-expiry;
      }`,
    );
    expect(values).toEqual({
      grafana: "10.233.1.5",
      prometheus: "10.233.1.5",
      datasource: "http://10.233.1.5:9090",
      // Alertmanager beside it on 127.0.0.1 (the e-mail receiver of MONITORING)
      targets: [["127.0.0.1:9093"], ["10.233.1.5:9090"], ["10.233.1.5:3000"], ["10.233.1.5:9100"]],
      vhosts: [],
      certTimer: false,
    });
  });

  it("fails upstream's ACME assertion when the CA's terms are not accepted", () => {
    const { status, log } = flakeCheck(repos.create(monitoredStack(branch, "agenix"), plant(HOST, "  security.acme.acceptTerms = lib.mkForce false;")), branch);
    expect(status).not.toBe(0);
    expect(log).toContain("You must accept the CA's terms of service before using");
  });

  it("fails with a message naming the job when a host has a backup but nothing stateful to back up", () => {
    const base = vpsStack({ nixpkgsBranch: branch, gateway: false });
    const stack = validStack({ ...base, hosts: base.hosts.map((h) => (h.name === HOST ? { ...h, services: [{ kind: "backup", repository: "/mnt/backup" }] } : h)) } as never);
    const { status, log } = flakeCheck(repos.create(stack), branch);
    expect(status).not.toBe(0);
    expect(log).toContain("stack.backup.jobs.backup.paths: nothing to back up");
  });
});
