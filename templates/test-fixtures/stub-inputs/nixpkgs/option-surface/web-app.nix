# Options the web-app kind sets that no other surface file declares:
# - nginx locations' root, tryFiles and extraConfig (nixos/modules/services/web-servers/nginx/location-options.nix:
#   root = nullOr path, tryFiles = nullOr str, both default null; extraConfig = lines, default "",
#   "These lines go to the end of the location verbatim"; read at nixpkgs 07d3fe29 and at the
#   newer e0741f86 (master, past mdDoc's removal), declared alike in both, so on both branches), and
#   ACME's defaults.server (nixos/modules/security/acme/default.nix: nullOr str, Let's Encrypt's
#   production directory by default), and the defaults of the nginx/ACME/tmpfiles options
#   monitoring-shared.nix declares by type only: the one declaration with defaults, which
#   lib/modules.nix (mergeOptionDecls) merges with those.
# - services.postgresql and services.postgresqlBackup (reference §9:
#   nixos/modules/services/databases/postgresql.nix, nixos/modules/services/backup/postgresql-backup.nix),
#   with the two assertions a web app can trip: ensureDBOwnership needs a database of the role's
#   name, and postgresqlBackup refuses `databases` together with `backupAll`.
{
  config,
  lib,
  options,
  ...
}:
let
  types = lib.types;
  withDefault = type: default: lib.mkOption { inherit type default; };
  pg = config.services.postgresql;
  backup = config.services.postgresqlBackup;
in
{
  options = {
    # the fuller declaration of the nginx/ACME options monitoring-shared.nix declares by type:
    # their defaults (all false/null but acme's server; nginx/default.nix, vhost-options.nix,
    # location-options.nix, acme/default.nix; tmpfiles.nix: rules = [ ])
    services.nginx = {
      enable = lib.mkEnableOption "Nginx Web Server";
      recommendedProxySettings = withDefault types.bool false;
      recommendedTlsSettings = withDefault types.bool false;
      virtualHosts = withDefault (types.attrsOf (
        types.submodule {
          options = {
            enableACME = withDefault types.bool false;
            forceSSL = withDefault types.bool false;
            locations = withDefault (types.attrsOf (
              types.submodule {
                options = {
                  proxyPass = withDefault (types.nullOr types.str) null;
                  proxyWebsockets = withDefault types.bool false;
                  root = withDefault (types.nullOr types.path) null;
                  tryFiles = withDefault (types.nullOr types.str) null;
                  extraConfig = withDefault types.lines "";
                };
              }
            )) { };
          };
        }
      )) { };
    };
    security.acme = {
      acceptTerms = withDefault types.bool false;
      defaults = withDefault (types.submodule {
        options = {
          email = withDefault (types.nullOr types.str) null;
          server = withDefault (types.nullOr types.str) "https://acme-v02.api.letsencrypt.org/directory";
        };
      }) { };
    };
    systemd.tmpfiles.rules = withDefault (types.listOf types.str) [ ];

    services.postgresql = {
      enable = lib.mkEnableOption "PostgreSQL Server";
      # the default follows system.stateVersion (postgresql_17 from 25.11): the kind pins it
      package = lib.mkOption { type = types.package; };
      ensureDatabases = lib.mkOption {
        type = types.listOf types.str;
        default = [ ];
      };
      ensureUsers = lib.mkOption {
        type = types.listOf (
          types.submodule {
            options = {
              name = lib.mkOption { type = types.str; };
              ensureDBOwnership = lib.mkOption {
                type = types.bool;
                default = false;
              };
              ensureClauses = lib.mkOption {
                type = types.attrsOf (types.oneOf [ types.str types.int types.bool ]);
                default = { };
              };
            };
          }
        );
        default = [ ];
      };
      authentication = lib.mkOption {
        type = types.lines;
        default = "";
      };
    };

    services.postgresqlBackup = {
      enable = lib.mkEnableOption "PostgreSQL dumps";
      databases = lib.mkOption {
        type = types.listOf types.str;
        default = [ ];
      };
      backupAll = lib.mkOption {
        type = types.bool;
        default = backup.databases == [ ];
      };
      startAt = lib.mkOption {
        type = types.either (types.listOf types.str) types.str;
        default = "*-*-* 01:15:00";
      };
      location = lib.mkOption {
        type = types.path;
        default = "/var/backup/postgresql";
      };
      compression = lib.mkOption {
        type = types.enum [ "none" "gzip" "zstd" ];
        default = "gzip";
      };
    };
  };

  config.assertions =
    lib.optionals pg.enable (
      map (user: {
        assertion = user.ensureDBOwnership -> lib.elem user.name pg.ensureDatabases;
        message = ''
          For each database user defined with `services.postgresql.ensureUsers` and
          `ensureDBOwnership = true;`, a database with the same name must be defined
          in `services.postgresql.ensureDatabases`.

          Offender: ${user.name} has not been found among databases.
        '';
      }) pg.ensureUsers
    )
    ++ lib.optional backup.enable {
      assertion = backup.backupAll -> backup.databases == [ ];
      message = "config.services.postgresqlBackup.backupAll cannot be used together with config.services.postgresqlBackup.databases";
    };
}
