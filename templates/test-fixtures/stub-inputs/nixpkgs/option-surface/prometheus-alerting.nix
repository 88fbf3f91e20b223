# Alertmanager, Prometheus' config check, the data services' exporters and the firewall's extra
# rules, as the monitoring and containers kinds use them (Swarsel/nixpkgs@4aa6836a):
# - nixos/modules/services/monitoring/prometheus/alertmanager.nix: enable, configuration (nullOr
#   attrs), configText (nullOr lines), checkConfig (true: amtool check-config at build time),
#   listenAddress ("" = every address), port (9093), openFirewall (false), extraFlags (listOf str),
#   environmentFile (nullOr path), logLevel (enum, "warn"), webExternalUrl (nullOr str),
#   clusterPeers (listOf str); its assertion that configuration or configText is set; the
#   firewall port when openFirewall. (Its unit: DynamicUser, ProtectSystem=strict, envsubst of the
#   configuration in preStart; not modelled, packages are fakes.)
# - nixos/modules/services/monitoring/prometheus/default.nix: checkConfig (either bool (enum
#   [ "syntax-only" ]), true: `promtool check config` of the generated prometheus.yml at build time,
#   which stats every credentials_file; "syntax-only" skips that and still checks the rule files).
# - nixos/modules/services/monitoring/prometheus/exporters.nix: each exporter's common options
#   (enable, port with the exporter's default, listenAddress "0.0.0.0", openFirewall false,
#   extraFlags [ ], user/group "<name>-exporter", firewallFilter/firewallRules null) and its
#   assertion that firewallFilter needs openFirewall; a system user and group "<name>-exporter"
#   for an exporter that runs without DynamicUser (postgres: DynamicUser = false).
#   exporters/postgres.nix: port 9187, dataSourceName (the local socket as postgres),
#   environmentFile (nullOr path), runAsLocalSuperUser (false), telemetryPath ("/metrics").
#   exporters/redis.nix: port 9121 (no options of its own). exporters/nats.nix: port 7777, url
#   ("http://127.0.0.1:8222"). openFirewall adds `ip46tables -A nixos-fw <firewallFilter, by default
#   "-p tcp -m tcp --dport <port>"> -m comment --comment <name>-exporter -j nixos-fw-accept` to
#   networking.firewall.extraCommands (iptables backend).
# - nixos/modules/services/networking/firewall.nix: extraCommands (types.lines, ""), run by the
#   iptables backend after the accepted ports, before the final refusal (firewall-iptables.nix).
{ config, lib, ... }:
let
  types = lib.types;
  am = config.services.prometheus.alertmanager;
  exporters = config.services.prometheus.exporters;
  option = type: default: lib.mkOption { inherit type default; };
  exporter =
    name: port: extra:
    {
      enable = lib.mkEnableOption "the prometheus ${name} exporter";
      port = option types.port port;
      listenAddress = option types.str "0.0.0.0";
      openFirewall = option types.bool false;
      extraFlags = option (types.listOf types.str) [ ];
      user = option types.str "${name}-exporter";
      group = option types.str "${name}-exporter";
      firewallFilter = option (types.nullOr types.str) null;
      firewallRules = option (types.nullOr types.lines) null;
    }
    // extra;
  names = [
    "postgres"
    "redis"
    "nats"
  ];
in
{
  options.services.prometheus = {
    checkConfig = option (types.either types.bool (types.enum [ "syntax-only" ])) true;
    alertmanager = {
      enable = lib.mkEnableOption "Prometheus Alertmanager";
      configuration = option (types.nullOr types.attrs) null;
      configText = option (types.nullOr types.lines) null;
      checkConfig = option types.bool true;
      listenAddress = option types.str "";
      port = option types.port 9093;
      openFirewall = option types.bool false;
      extraFlags = option (types.listOf types.str) [ ];
      environmentFile = option (types.nullOr types.path) null;
      logLevel = option (types.enum [
        "debug"
        "info"
        "warn"
        "error"
        "fatal"
      ]) "warn";
      webExternalUrl = option (types.nullOr types.str) null;
      clusterPeers = option (types.listOf types.str) [ ];
    };
    exporters = {
      postgres = exporter "postgres" 9187 {
        dataSourceName = option types.str "user=postgres database=postgres host=/run/postgresql sslmode=disable";
        environmentFile = option (types.nullOr types.path) null;
        runAsLocalSuperUser = option types.bool false;
        telemetryPath = option types.str "/metrics";
      };
      redis = exporter "redis" 9121 { };
      nats = exporter "nats" 7777 { url = option types.str "http://127.0.0.1:8222"; };
    };
  };
  options.networking.firewall.extraCommands = lib.mkOption { type = types.lines; };

  config = lib.mkMerge (
    [
      {
        assertions =
          lib.optional am.enable {
            assertion = am.configuration != null || am.configText != null;
            message = "Can not enable alertmanager without a configuration. Set either the `configuration` or `configText` attribute.";
          }
          ++ map (name: {
            assertion = exporters.${name}.firewallFilter != null -> exporters.${name}.openFirewall;
            message = "The `firewallFilter'-option of exporter ${name} doesn't have any effect unless `openFirewall' is set to `true'!";
          }) names;
      }
      (lib.mkIf (am.enable && am.openFirewall) { networking.firewall.allowedTCPPorts = [ am.port ]; })
      # exporters.nix: the user and group of an exporter that is no DynamicUser
      (lib.mkIf exporters.postgres.enable {
        users.groups.postgres-exporter = { };
        users.users.postgres-exporter = {
          description = "Prometheus postgres exporter service user";
          isSystemUser = true;
          group = "postgres-exporter";
        };
      })
    ]
    # exporters.nix (iptables backend): the exporter's port, or its firewallFilter, accepted
    ++ map (
      name:
      let
        e = exporters.${name};
        filter = if e.firewallFilter != null then e.firewallFilter else "-p tcp -m tcp --dport ${toString e.port}";
      in
      lib.mkIf (e.enable && e.openFirewall) {
        networking.firewall.extraCommands = "ip46tables -A nixos-fw ${filter} -m comment --comment ${name}-exporter -j nixos-fw-accept";
      }
    ) names
  );
}
