# Prometheus and its node exporter (Swarsel/nixpkgs@4aa6836a):
#   nixos/modules/services/monitoring/prometheus/default.nix — the server's options, the
#     scrape_config and globalConfig submodules (the fields our templates use; upstream's are
#     strict submodules too, so an unknown field fails there as here), the listenAddress
#     assertion, and the prometheus user it creates (uid/gid 255, ids.nix);
#   nixos/modules/services/monitoring/prometheus/exporters/node.nix (+ exporters.nix) — port
#     9100, listenAddress "0.0.0.0" by default, enabledCollectors/disabledCollectors/extraFlags;
#     openFirewall is modelled as networking.firewall.allowedTCPPorts, where upstream adds an
#     iptables rule (firewall.extraCommands) or an nftables one (extraInputRules) for the port:
#     the same port open, not the same option (no template sets openFirewall).
# Upstream runs `promtool check rules` on ruleFiles at build time (checkConfig = true); packages
# are fakes here, so the rule file's structure is checked by templates' alert-rules tests.
{ config, lib, ... }:
let
  types = lib.types;
  cfg = config.services.prometheus;
  nullOr = type: lib.mkOption {
    type = types.nullOr type;
    default = null;
  };
  staticConfig = types.submodule {
    options = {
      targets = lib.mkOption { type = types.listOf types.str; };
      # promTypes.static_config: attrsOf str with default { } (not nullOr, unlike the mkOpt fields)
      labels = lib.mkOption {
        type = types.attrsOf types.str;
        default = { };
      };
    };
  };
  scrapeConfig = types.submodule {
    options = {
      job_name = lib.mkOption { type = types.str; };
      static_configs = nullOr (types.listOf staticConfig);
      metrics_path = nullOr types.str;
      scheme = nullOr (types.enum [ "http" "https" ]);
      scrape_interval = nullOr types.str;
      scrape_timeout = nullOr types.str;
      # upstream: nullOr attrs (the Authorization header: type, credentials, credentials_file)
      authorization = nullOr types.attrs;
    };
  };
in
{
  options.services.prometheus = {
    enable = lib.mkEnableOption "Prometheus monitoring daemon";
    port = lib.mkOption {
      type = types.port;
      default = 9090;
    };
    listenAddress = lib.mkOption {
      type = types.str;
      default = "0.0.0.0";
    };
    stateDir = lib.mkOption {
      type = types.str;
      default = "prometheus2";
    };
    retentionTime = nullOr types.str;
    globalConfig = lib.mkOption {
      type = types.submodule {
        options = {
          scrape_interval = nullOr types.str;
          evaluation_interval = nullOr types.str;
          scrape_timeout = nullOr types.str;
          external_labels = nullOr (types.attrsOf types.str);
        };
      };
      default = { };
    };
    ruleFiles = lib.mkOption {
      type = types.listOf types.path;
      default = [ ];
    };
    rules = lib.mkOption {
      type = types.listOf types.str;
      default = [ ];
    };
    scrapeConfigs = lib.mkOption {
      type = types.listOf scrapeConfig;
      default = [ ];
    };
    alertmanagers = lib.mkOption {
      type = types.listOf types.attrs;
      default = [ ];
    };

    exporters.node = {
      enable = lib.mkEnableOption "the Prometheus node exporter";
      port = lib.mkOption {
        type = types.port;
        default = 9100;
      };
      listenAddress = lib.mkOption {
        type = types.str;
        default = "0.0.0.0";
      };
      openFirewall = lib.mkOption {
        type = types.bool;
        default = false;
      };
      enabledCollectors = lib.mkOption {
        type = types.listOf types.str;
        default = [ ];
      };
      disabledCollectors = lib.mkOption {
        type = types.listOf types.str;
        default = [ ];
      };
      extraFlags = lib.mkOption {
        type = types.listOf types.str;
        default = [ ];
      };
    };
  };

  config = lib.mkMerge [
    (lib.mkIf cfg.enable {
      assertions = [
        (
          let
            legacy = builtins.match "(.*\\..*|.*]):([[:digit:]]+)" cfg.listenAddress;
          in
          {
            assertion = legacy == null;
            # upstream's message, built only when it fails (the stand-in forces every defined value)
            message =
              if legacy == null then
                ""
              else
                ''
                  Do not specify the port for Prometheus to listen on in the
                  listenAddress option; use the port option instead:
                    services.prometheus.listenAddress = ${builtins.elemAt legacy 0};
                    services.prometheus.port = ${builtins.elemAt legacy 1};
                '';
          }
        )
      ];
      users.groups.prometheus.gid = 255;
      users.users.prometheus = {
        description = "Prometheus daemon user";
        group = "prometheus";
        uid = 255;
      };
    })
    (lib.mkIf cfg.exporters.node.enable {
      # exporters.nix: a system user and group per exporter, "<name>-exporter"
      users.groups.node-exporter = { };
      users.users.node-exporter = {
        description = "Prometheus node exporter service user";
        isSystemUser = true;
        group = "node-exporter";
      };
      networking.firewall.allowedTCPPorts = lib.mkIf cfg.exporters.node.openFirewall [ cfg.exporters.node.port ];
    })
  ];
}
