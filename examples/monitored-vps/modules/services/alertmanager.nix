# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# Alertmanager for this machine's monitoring service (imported by ./monitoring.nix): Prometheus
# sends every firing alert to it (services.prometheus.alertmanagers) and it notifies the receiver
# nixos-stack.json chose (`alerting.receiver`): e-mail through an SMTP server, or a POST of
# Alertmanager's JSON to a webhook URL. With `none`, nobody is notified and Alertmanager does not
# run: the alerts show on Prometheus' /alerts page and in Grafana only (docs/services/monitoring.md).
#
# nixos/modules/services/monitoring/prometheus/alertmanager.nix: the configuration is written to
# the store, checked at build time by `amtool check-config` (checkConfig, on) and passed through
# envsubst before the start; the unit runs as a DynamicUser under ProtectSystem=strict. So no
# secret goes in `configuration`: the SMTP password and the webhook URL (which often carries a
# token) are the ALERTMANAGER_SMTP_PASSWORD and ALERTMANAGER_WEBHOOK_URL lines of the monitoring
# service's secret file. A root ExecStartPre copies each into /run/alertmanager-secrets (root,
# group alertmanager-secrets, 0440; the unit gets that group), and Alertmanager reads it through
# `smtp_auth_password_file` / `url_file` when it sends (prometheus/alertmanager notify/email and
# notify/webhook read the file on each notification; url_file since v0.26), so amtool's check
# passes without the file. Until the secret file exists the unit is skipped with one journal line
# (../lib/require-secret.nix), as Grafana is.
#
# It listens on 127.0.0.1 only (Prometheus runs beside it, on the host or in the same container)
# and with clustering off: upstream's default --cluster.listen-address is 0.0.0.0:9094.
{ config, lib, pkgs, ... }:
let
  cfg = config.stack.monitoring;
  instances = lib.attrValues cfg.instances;
  m = lib.head instances;
  a = m.alerting;
  dotenvValue = import ../lib/dotenv-value.nix { inherit pkgs; };
  secretsDir = "/run/alertmanager-secrets";
  address = "127.0.0.1";
  port = 9093;
  enabled = instances != [ ] && a.receiver != "none";

  # the secret file's lines this receiver reads, and the file each is copied to
  secrets =
    lib.optional (a.receiver == "email" && a.username != null) {
      key = "ALERTMANAGER_SMTP_PASSWORD";
      file = "smtp_password";
    }
    ++ lib.optional (a.receiver == "webhook") {
      key = "ALERTMANAGER_WEBHOOK_URL";
      file = "webhook_url";
    };

  copyLines = lib.concatMapStrings (s: ''
    value=$(dotenv-value ${s.key} ${lib.escapeShellArg m.secretsFile})
    install -m 0440 -o root -g alertmanager-secrets /dev/null ${secretsDir}/${s.file}.new
    printf '%s' "$value" > ${secretsDir}/${s.file}.new
    mv ${secretsDir}/${s.file}.new ${secretsDir}/${s.file}
  '') secrets;
  copySecrets = pkgs.writeShellApplication {
    name = "alertmanager-secrets";
    runtimeInputs = [
      dotenvValue
      pkgs.coreutils
    ];
    text = ''
      install -d -m 0750 -o root -g alertmanager-secrets ${secretsDir}
      ${copyLines}
    '';
  };

  receiver =
    if a.receiver == "email" then
      {
        name = "operator";
        email_configs = [
          {
            inherit (a) to;
            send_resolved = true;
          }
        ];
      }
    else
      {
        name = "operator";
        webhook_configs = [
          {
            url_file = "${secretsDir}/webhook_url";
            send_resolved = true;
          }
        ];
      };
in
{
  config = lib.mkIf enabled {
    services.prometheus.alertmanager = {
      enable = true;
      listenAddress = address;
      inherit port;
      extraFlags = [ "--cluster.listen-address=" ];
      configuration = {
        global = lib.optionalAttrs (a.receiver == "email") (
          {
            smtp_smarthost = a.smarthost;
            smtp_from = a.from;
            smtp_require_tls = a.requireTls;
          }
          // lib.optionalAttrs (a.username != null) {
            smtp_auth_username = a.username;
            smtp_auth_password_file = "${secretsDir}/smtp_password";
          }
        );
        route = {
          receiver = "operator";
          group_by = [
            "alertname"
            "instance"
          ];
          group_wait = "30s";
          group_interval = "5m";
          repeat_interval = "4h";
        };
        receivers = [ receiver ];
      };
    };

    services.prometheus.alertmanagers = [ { static_configs = [ { targets = [ "${address}:${toString port}" ]; } ]; } ];
    # its own metrics: a notification that fails (SMTP refused, webhook down) is an alert of its own
    services.prometheus.scrapeConfigs = [
      {
        job_name = "alertmanager";
        static_configs = [ { targets = [ "${address}:${toString port}" ]; } ];
      }
    ];

    users.groups.alertmanager-secrets = lib.mkIf (secrets != [ ]) { };
    systemd.services.alertmanager.serviceConfig = lib.mkIf (secrets != [ ]) {
      SupplementaryGroups = [ "alertmanager-secrets" ];
      # skipped, with one journal line, while the secret file is missing
      ExecCondition = import ../lib/require-secret.nix { inherit lib pkgs; } {
        file = m.secretsFile;
        unit = "alertmanager";
        how = m.secretsHowTo;
      };
      # "+": root, before the start; fails naming the file and the key until the line is there
      ExecStartPre = [ "+${lib.getExe copySecrets}" ];
    };

    stack.vmTest =
      if secrets == [ ] then
        {
          units = [ "alertmanager.service" ];
          ports = [ { inherit address port; } ];
        }
      else
        { skippedWithoutSecrets = [ "alertmanager.service" ]; };
  };
}
