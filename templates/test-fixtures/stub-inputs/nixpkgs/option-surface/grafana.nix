# Grafana (Swarsel/nixpkgs@4aa6836a nixos/modules/services/monitoring/grafana.nix; data sources'
# freeform values are YAML values, as upstream's): the
# settings our templates set, with upstream's types and defaults (http_addr "127.0.0.1", port
# 3000; settings is a freeform INI submodule), provisioning of data sources, the assertions
# (since 26.05 secret_key has no default and must be set; datasources path vs settings;
# prometheus data sources cannot use "direct" access; users.editors_can_admin was removed in
# Grafana 12 — the module's `config = mkIf cfg.enable` assertions, re-read at the same commit) and the warning about passwords that do
# not use the file/env provider, ported as upstream writes them. The grafana user (uid 196,
# ids.nix) and group it creates.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  types = lib.types;
  cfg = config.services.grafana;
  # the INI format's value type (pkgs.formats.ini): what a freeform setting may hold
  iniAtom = types.nullOr (types.oneOf [ types.bool types.int types.float types.str ]);
  iniValue = types.either iniAtom (types.listOf iniAtom);
  # grafanaTypes.datasourceConfig: freeformType = provisioningSettingsFormat.type, pkgs.formats.yaml
  datasourceConfig = types.submodule {
    freeformType = (pkgs.formats.yaml { }).type;
    options = {
      access = lib.mkOption {
        type = types.enum [ "proxy" "direct" ];
        default = "proxy";
      };
      editable = lib.mkOption {
        type = types.bool;
        default = false;
      };
      name = lib.mkOption { type = types.str; };
      type = lib.mkOption { type = types.str; };
      uid = lib.mkOption {
        type = types.nullOr types.str;
        default = null;
      };
      url = lib.mkOption {
        type = types.str;
        default = "";
      };
    };
  };
  doesntUseFileProvider =
    opt: defaultValue:
    let
      regex = "${lib.optionalString (defaultValue != null) "^${defaultValue}$|"}^\\$__(file|env)\\{.*}$|^\\$[^_\\$][^ ]+$";
    in
    builtins.match regex opt == null;
in
{
  options.services.grafana = {
    enable = lib.mkEnableOption "grafana";
    dataDir = lib.mkOption {
      type = types.path;
      default = "/var/lib/grafana";
    };
    provision = {
      enable = lib.mkEnableOption "provision";
      datasources = lib.mkOption {
        default = { };
        type = types.submodule {
          options.path = lib.mkOption {
            type = types.nullOr types.path;
            default = null;
          };
          options.settings = lib.mkOption {
            default = null;
            type = types.nullOr (
              types.submodule {
                options = {
                  apiVersion = lib.mkOption {
                    type = types.int;
                    default = 1;
                  };
                  datasources = lib.mkOption {
                    type = types.listOf datasourceConfig;
                    default = [ ];
                  };
                };
              }
            );
          };
        };
      };
    };
    settings = lib.mkOption {
      default = { };
      type = types.submodule {
        freeformType = types.attrsOf (types.attrsOf iniValue);
        options = {
          server = {
            http_addr = lib.mkOption {
              type = types.str;
              default = "127.0.0.1";
            };
            http_port = lib.mkOption {
              type = types.port;
              default = 3000;
            };
            domain = lib.mkOption {
              type = types.str;
              default = "localhost";
            };
            root_url = lib.mkOption {
              type = types.str;
              default = "%(protocol)s://%(domain)s:%(http_port)s/";
            };
          };
          security = {
            admin_password = lib.mkOption {
              type = types.str;
              default = "admin";
            };
            secret_key = lib.mkOption {
              type = types.nullOr types.str;
              default = null;
            };
            cookie_secure = lib.mkOption {
              type = types.bool;
              default = false;
            };
            disable_gravatar = lib.mkOption {
              type = types.bool;
              default = false;
            };
          };
          database.password = lib.mkOption {
            type = types.str;
            default = "";
          };
          analytics.reporting_enabled = lib.mkOption {
            type = types.bool;
            default = false;
          };
        };
      };
    };
  };

  config = lib.mkIf cfg.enable {
    assertions = [
      {
        # upstream declares settings.users.* options, so `users` always exists there
        assertion = !((cfg.settings.users or { }) ? editors_can_admin);
        message = ''
          Option `services.grafana.settings.users.editors_can_admin` has been removed in Grafana 12.
        '';
      }
      {
        assertion = cfg.provision.datasources.settings == null || cfg.provision.datasources.path == null;
        message = "Cannot set both datasources settings and datasources path";
      }
      {
        assertion =
          cfg.provision.datasources.settings == null
          || lib.all ({ access, type, ... }: type == "prometheus" -> access != "direct") cfg.provision.datasources.settings.datasources;
        message = "For datasources of type `prometheus`, the `direct` access mode is not supported anymore (since Grafana 9.2.0)";
      }
      {
        assertion = cfg.settings.security.secret_key != null;
        message = ''
          Grafana's secret key (services.grafana.settings.security.secret_key) doesn't have a default
          value anymore. Please generate your own and use a file-provider on this option! See also
          https://grafana.com/docs/grafana/latest/setup-grafana/configure-grafana/#secret_key
          for more information.

          See https://grafana.com/docs/grafana/latest/setup-grafana/configure-security/configure-database-encryption/#re-encrypt-secrets on how to re-encrypt.

          As stated in the NixOS changelog for 26.05, there's no official way to rotate.
          Either hard-code the old key ("SW2YcwTIb9zpOOhoPsMm") if your setup doesn't have any secrets in the DB that need
          special protection or perform a rotation with a 3rd-party tool
          (https://github.com/erooke/grafana-secretkey-rotation-tool/tree/d9dc788902fa5185e15cb15ce6129f7237ab6138).
        '';
      }
    ];
    warnings = lib.optional (
      doesntUseFileProvider cfg.settings.database.password "" || doesntUseFileProvider cfg.settings.security.admin_password "admin"
    ) ''
      Grafana passwords will be stored as plaintext in the Nix store!
      Use file provider or an env-var instead.
    '';

    # the unit our monitoring kind extends (ExecCondition, a root ExecStartPre): upstream's
    # preStart is an ExecStartPre list entry, its script the ExecStart (not modelled), and the
    # [Service] values a second definition would conflict with
    systemd.services.grafana = {
      after = [ "network.target" ];
      description = "Grafana Service Daemon";
      wantedBy = [ "multi-user.target" ];
      serviceConfig = {
        ExecStartPre = [ "${pkgs.writeShellScript "grafana-pre-start" ""}" ];
        LockPersonality = true;
        NoNewPrivileges = true;
        PrivateDevices = true;
        PrivateTmp = true;
        ProtectHome = true;
        ProtectSystem = "full";
        RemoveIPC = true;
        Restart = "on-failure";
        RuntimeDirectory = "grafana";
        RuntimeDirectoryMode = "0755";
        UMask = "0027";
        User = "grafana";
        WorkingDirectory = cfg.dataDir;
      };
    };

    users.groups.grafana = { };
    users.users.grafana = {
      description = "Grafana user";
      group = "grafana";
      home = cfg.dataDir;
      createHome = true;
      uid = 196;
    };
  };
}
