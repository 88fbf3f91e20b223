# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# Monitoring: Prometheus (nixos/modules/services/monitoring/prometheus/default.nix) scraping
# itself, Grafana and the node exporters (this machine's, and the targets listed: other hosts,
# containers), with the alert rules in ./monitoring/<name>.rules.json; Grafana
# (nixos/modules/services/monitoring/grafana.nix) with Prometheus provisioned as its data source,
# served at `domain` through nginx with an ACME certificate.
#
# Grafana's admin password and secret key never appear here or in the Nix store: they are the
# GRAFANA_ADMIN_PASSWORD and GRAFANA_SECRET_KEY lines of the service's secret file (the secrets
# backend's, docs/secrets.md), which a root ExecStartPre copies into /run/grafana-secrets (root,
# group grafana, 0440) and Grafana reads through its file provider, `$__file{…}`. Since NixOS
# 26.05 secret_key has no default and an unset one fails an assertion (grafana.nix). Until the
# secret file exists Grafana is not started (ExecCondition, ../lib/require-secret.nix: one
# journal line says what to create; no restart loop) and Prometheus runs without it.
#
# Alertmanager (./alertmanager.nix) notifies the receiver nixos-stack.json chose (`alerting`).
#
# Usable on a host or inside a container's `config`: set `listenAddress` to the container's
# address and `nginx = false`, and let the host's nginx proxy to it.
{ config, lib, pkgs, ... }:
let
  cfg = config.stack.monitoring;
  osConfig = config;
  dotenvValue = import ../lib/dotenv-value.nix { inherit pkgs; };
  secretsDir = "/run/grafana-secrets";
  scrapeSecretsDir = "/run/prometheus-secrets";

  instanceModule =
    { name, config, ... }:
    {
      options = {
        domain = lib.mkOption {
          type = lib.types.str;
          description = "The public name Grafana is served at (monitoring.example.com).";
        };
        acmeEmail = lib.mkOption {
          type = lib.types.str;
          description = "The ACME account's contact address (security.acme.defaults.email).";
        };
        # no default: accepting the CA's terms is the operator's answer (nixos-stack.json's acmeAcceptTerms)
        acmeAcceptTerms = lib.mkOption {
          type = lib.types.bool;
          description = "The operator accepts the ACME CA's terms (https://letsencrypt.org/repository/).";
        };
        listenAddress = lib.mkOption {
          type = lib.types.str;
          default = "127.0.0.1";
          description = "Where Prometheus and Grafana listen: 127.0.0.1 on a host, the container's address in a container.";
        };
        prometheusPort = lib.mkOption {
          type = lib.types.port;
          default = 9090;
        };
        grafanaPort = lib.mkOption {
          type = lib.types.port;
          default = 3000;
        };
        nodeExporterPort = lib.mkOption {
          type = lib.types.port;
          default = 9100;
        };
        retention = lib.mkOption {
          type = lib.types.str;
          default = "30d";
          description = "How long Prometheus keeps samples.";
        };
        scrapeTargets = lib.mkOption {
          type = lib.types.listOf lib.types.str;
          default = [ ];
          description = "host:port of more node exporters to scrape (other hosts, containers).";
        };
        nginx = lib.mkOption {
          type = lib.types.bool;
          default = true;
          description = "Serve Grafana at `domain` through this machine's nginx with ACME (off in a container: the host proxies).";
        };
        ruleFile = lib.mkOption {
          type = lib.types.path;
          default = ./monitoring + "/${name}.rules.json";
          defaultText = lib.literalExpression "./monitoring/<name>.rules.json";
          description = "The Prometheus rule file (generated from nixos-stack.json).";
        };
        envSecretsFile = lib.mkOption {
          type = lib.types.str;
          internal = true;
          description = "The secret file under the env-file backend.";
        };
        secretsFile = lib.mkOption {
          type = lib.types.str;
          default = osConfig.stack.secrets.files.${name}.path or config.envSecretsFile;
          defaultText = lib.literalExpression ''config.stack.secrets.files.''${name}.path or "/etc/<stack>/secrets/''${name}.env"'';
          description = "The dotenv file with GRAFANA_ADMIN_PASSWORD= and GRAFANA_SECRET_KEY= lines (mode 0400, root).";
        };
        alerting = lib.mkOption {
          description = "Who Alertmanager notifies (nixos-stack.json: alerting; ./alertmanager.nix).";
          type = lib.types.submodule {
            options = {
              receiver = lib.mkOption {
                type = lib.types.enum [
                  "email"
                  "webhook"
                  "none"
                ];
                description = "email, webhook (its URL the ALERTMANAGER_WEBHOOK_URL line of secretsFile) or none: nobody is notified.";
              };
              to = lib.mkOption {
                type = lib.types.nullOr lib.types.str;
                default = null;
              };
              from = lib.mkOption {
                type = lib.types.nullOr lib.types.str;
                default = null;
              };
              smarthost = lib.mkOption {
                type = lib.types.nullOr lib.types.str;
                default = null;
                description = "host:port of the SMTP server.";
              };
              username = lib.mkOption {
                type = lib.types.nullOr lib.types.str;
                default = null;
                description = "The SMTP account; its password is the ALERTMANAGER_SMTP_PASSWORD line of secretsFile.";
              };
              requireTls = lib.mkOption {
                type = lib.types.bool;
                default = true;
              };
            };
          };
        };
        scrapeSecrets = lib.mkOption {
          type = lib.types.listOf (
            lib.types.submodule {
              options.key = lib.mkOption {
                type = lib.types.str;
                description = "The line of secretsFile (QDRANT_API_KEY).";
              };
              options.file = lib.mkOption {
                type = lib.types.str;
                description = "Its file under /run/prometheus-secrets, for a scrape job's credentials_file.";
              };
            }
          );
          default = [ ];
          description = "Lines of secretsFile a scrape job sends as credentials (./container-metrics.nix: Qdrant's API key).";
        };
        secretsHowTo = lib.mkOption {
          type = lib.types.str;
          default = "create it with GRAFANA_ADMIN_PASSWORD= and GRAFANA_SECRET_KEY= lines (docs/services/monitoring.md), then systemctl restart grafana";
          description = "How the operator creates secretsFile: the journal line while Grafana waits for it.";
        };
      };
    };

  instances = lib.attrValues cfg.instances;
  m = lib.head instances;
  address = m.listenAddress;

  # root copies the scrape jobs' credentials out of the dotenv file for Prometheus (root, group
  # prometheus, 0440). Prometheus starts without them: a missing file or line leaves the file empty,
  # and the job that needs it fails its scrapes (InstanceDown), which says so.
  scrapeSecretLines = lib.concatMapStrings (s: ''
    value=$(dotenv-value ${s.key} ${lib.escapeShellArg m.secretsFile} 2>/dev/null) || echo "prometheus: no ${s.key}= line in ${m.secretsFile} yet; its scrape job sends no credentials" >&2
    install -m 0440 -o root -g prometheus /dev/null ${scrapeSecretsDir}/${s.file}.new
    printf '%s' "''${value:-}" > ${scrapeSecretsDir}/${s.file}.new
    mv ${scrapeSecretsDir}/${s.file}.new ${scrapeSecretsDir}/${s.file}
  '') m.scrapeSecrets;
  scrapeSecrets = pkgs.writeShellApplication {
    name = "prometheus-scrape-secrets";
    runtimeInputs = [
      dotenvValue
      pkgs.coreutils
    ];
    text = ''
      install -d -m 0750 -o root -g prometheus ${scrapeSecretsDir}
      ${scrapeSecretLines}
    '';
  };

  # root copies the two values out of the dotenv file for Grafana's file provider
  grafanaSecrets = pkgs.writeShellApplication {
    name = "grafana-secrets";
    runtimeInputs = [
      dotenvValue
      pkgs.coreutils
    ];
    text = ''
      install -d -m 0750 -o root -g grafana ${secretsDir}
      for pair in GRAFANA_ADMIN_PASSWORD:admin_password GRAFANA_SECRET_KEY:secret_key; do
        file=${secretsDir}/''${pair#*:}
        value=$(dotenv-value "''${pair%%:*}" ${lib.escapeShellArg m.secretsFile})
        install -m 0440 -o root -g grafana /dev/null "$file.new"
        printf '%s' "$value" > "$file.new"
        mv "$file.new" "$file"
      done
    '';
  };
in
{
  imports = [
    ./node-exporter.nix
    ./alertmanager.nix
  ];

  options.stack.monitoring.instances = lib.mkOption {
    type = lib.types.attrsOf (lib.types.submodule instanceModule);
    default = { };
    description = "The monitoring service of this machine, keyed by service name (at most one).";
  };

  config = lib.mkIf (cfg.instances != { }) (
    lib.mkMerge [
      {
        assertions = [
          {
            # upstream's own test for a file provider (grafana.nix, doesntUseFileProvider): $__file{} or $__env{}
            assertion = lib.all (value: value != null && builtins.match "[$]__(file|env)[{].*[}]" value != null) [
              config.services.grafana.settings.security.admin_password
              config.services.grafana.settings.security.secret_key
            ];
            message = "services.grafana.settings.security.{admin_password,secret_key}: each must be read from a file (\"$__file{/path}\") or the environment (\"$__env{VAR}\"), never written here: a literal ends up in the world-readable Nix store. Put it in the monitoring service's secret file (docs/services/monitoring.md).";
          }
          {
            assertion = m.alerting.receiver != "email" || lib.all (v: v != null) [ m.alerting.to m.alerting.from m.alerting.smarthost ];
            message = "stack.monitoring.instances.*.alerting: an e-mail receiver needs to, from and smarthost (nixos-stack.json: alerting).";
          }
          {
            assertion = lib.length instances == 1;
            message = "stack.monitoring.instances: ${toString (lib.length instances)} monitoring services on one machine; Prometheus and Grafana run once per machine, keep one.";
          }
        ];

        stack.nodeExporter = {
          enable = true;
          port = m.nodeExporterPort;
          # the certificates live where nginx terminates TLS
          certificateExpiry = m.nginx;
        };

        services.prometheus = {
          enable = true;
          port = m.prometheusPort;
          listenAddress = address;
          retentionTime = m.retention;
          globalConfig = {
            scrape_interval = "30s";
            evaluation_interval = "30s";
          };
          ruleFiles = [ m.ruleFile ];
          scrapeConfigs = [
            {
              job_name = "prometheus";
              static_configs = [ { targets = [ "${address}:${toString m.prometheusPort}" ]; } ];
            }
            {
              job_name = "grafana";
              static_configs = [ { targets = [ "${address}:${toString m.grafanaPort}" ]; } ];
            }
            {
              job_name = "node";
              static_configs = [
                { targets = [ "${config.stack.nodeExporter.listenAddress}:${toString m.nodeExporterPort}" ] ++ m.scrapeTargets; }
              ];
            }
          ];
        };

        services.grafana = {
          enable = true;
          settings = {
            server = {
              http_addr = address;
              http_port = m.grafanaPort;
              domain = m.domain;
              root_url = "https://${m.domain}/";
            };
            security = {
              admin_password = "$__file{${secretsDir}/admin_password}";
              secret_key = "$__file{${secretsDir}/secret_key}";
              cookie_secure = true;
              disable_gravatar = true;
            };
            analytics.reporting_enabled = false;
          };
          provision = {
            enable = true;
            datasources.settings = {
              apiVersion = 1;
              datasources = [
                {
                  name = "Prometheus";
                  type = "prometheus";
                  uid = "prometheus";
                  access = "proxy";
                  url = "http://${address}:${toString m.prometheusPort}";
                  isDefault = true;
                }
              ];
            };
          };
        };

        # a credentials_file that does not exist in the build sandbox fails upstream's build-time
        # `promtool check config` ("error checking authorization credentials or bearer token
        # file": prometheus/default.nix, checkConfig); syntax-only still checks the rule files
        services.prometheus.checkConfig = lib.mkIf (m.scrapeSecrets != [ ]) "syntax-only";
        systemd.services.prometheus.serviceConfig.ExecStartPre = lib.mkIf (m.scrapeSecrets != [ ]) [ "+${lib.getExe scrapeSecrets}" ];

        systemd.services.grafana.serviceConfig = {
          # skipped, with one journal line, while the secret file is missing (upstream's
          # Restart=on-failure would otherwise retry the failing ExecStartPre up to the start limit)
          ExecCondition = import ../lib/require-secret.nix { inherit lib pkgs; } {
            file = m.secretsFile;
            unit = "grafana";
            how = m.secretsHowTo;
          };
          # "+": runs as root before Grafana starts; fails, naming the file and key, until both are there
          ExecStartPre = [ "+${lib.getExe grafanaSecrets}" ];
        };

        # the VM test (checks/vm-tests.nix): Prometheus and the node exporter answer; Grafana
        # needs its secret file, which a first boot does not have yet: it is skipped
        stack.vmTest = {
          skippedWithoutSecrets = [ "grafana.service" ];
          units = [
            "prometheus.service"
            "prometheus-node-exporter.service"
          ];
          ports = [
            {
              inherit address;
              port = m.prometheusPort;
            }
            {
              address = config.stack.nodeExporter.listenAddress;
              port = m.nodeExporterPort;
            }
          ];
        };
      }
      (lib.mkIf m.nginx {
        services.nginx = {
          enable = true;
          recommendedProxySettings = true;
          recommendedTlsSettings = true;
          virtualHosts.${m.domain} = {
            enableACME = true;
            forceSSL = true;
            locations."/" = {
              proxyPass = "http://${address}:${toString m.grafanaPort}";
              # Grafana Live streams over WebSockets
              proxyWebsockets = true;
            };
          };
        };
        # nixos/modules/security/acme/default.nix asserts both as soon as a vhost enables ACME
        security.acme = {
          acceptTerms = m.acmeAcceptTerms;
          defaults.email = lib.mkDefault m.acmeEmail;
        };
        # HTTP-01 challenges on 80, the site on 443; nginx opens no port itself
        networking.firewall.allowedTCPPorts = [
          80
          443
        ];
      })
    ]
  );
}
