# Options the web-app kind sets that no other surface file declares:
# - nginx locations' root, tryFiles and extraConfig (nixos/modules/services/web-servers/nginx/location-options.nix:
#   root = nullOr path, tryFiles = nullOr str, both default null; extraConfig = lines, default "",
#   "These lines go to the end of the location verbatim"; read at nixpkgs 07d3fe29, at the
#   newer e0741f86 (master, past mdDoc's removal) and at Swarsel/nixpkgs@4aa6836a, declared
#   alike in all), and ACME's defaults.server (nixos/modules/security/acme/default.nix: nullOr
#   str, Let's Encrypt's production directory by default), and the defaults of the nginx/ACME/
#   tmpfiles options monitoring-shared.nix declares by type only: the one declaration with
#   defaults, which lib/modules.nix (mergeOptionDecls) merges with those. nginx's virtualHosts
#   defaults to { localhost = { }; } (nginx/default.nix), and security.acme.defaults has no
#   default at all (acme/default.nix: a submodule every option of which has one).
# - services.postgresql and services.postgresqlBackup (reference §9:
#   nixos/modules/services/databases/postgresql.nix, nixos/modules/services/backup/postgresql-backup.nix,
#   re-read at Swarsel/nixpkgs@4aa6836a), with the two assertions a web app can trip:
#   ensureDBOwnership needs a database of the role's name, and postgresqlBackup refuses
#   `databases` together with `backupAll`.
#
# The `config` of these upstream modules on what our templates also set or read (Swarsel/nixpkgs@4aa6836a):
# - postgresql.nix: `package` = mkDefault by system.stateVersion (>= 26.11 postgresql_18 on
#   nixos-unstable only, the 26.11 release notes; >= 25.11 17, >= 24.11 16, >= 23.11 15,
#   >= 22.05 14, older: throw "postgresql_<v> was removed, please upgrade your postgresql
#   version."); `authentication` gets upstream's header (mkBefore) and default rules (mkAfter);
#   the postgres user and group (uid/gid 71, nixos/modules/misc/ids.nix).
# - postgresql-backup.nix: the tmpfiles rule of `location`, 0700 postgres.
# - nginx/default.nix: the nginx user and group (uid/gid 60, ids.nix), for each ACME vhost a
#   security.acme.certs entry, which (acme/default.nix, `mkIf (cfg.certs != { })`) creates the
#   acme user and group; the acceptTerms assertion is monitoring-shared.nix's.
{
  config,
  lib,
  options,
  pkgs,
  stubBranch,
  ...
}:
let
  types = lib.types;
  withDefault = type: default: lib.mkOption { inherit type default; };
  pg = config.services.postgresql;
  backup = config.services.postgresqlBackup;
  nginx = config.services.nginx;
  acmeVhosts = lib.filterAttrs (_: vhost: vhost.enableACME) nginx.virtualHosts;
  stateVersion = config.system.stateVersion;
  atLeast = lib.versionAtLeast stateVersion;
  removed = ver: throw "postgresql_${ver} was removed, please upgrade your postgresql version.";
  # postgresql.nix `services.postgresql.package = mkDefault base`
  defaultPostgresql =
    if stubBranch == "nixos-unstable" && atLeast "26.11" then
      pkgs.postgresql_18
    else if atLeast "25.11" then
      pkgs.postgresql_17
    else if atLeast "24.11" then
      pkgs.postgresql_16
    else if atLeast "23.11" then
      pkgs.postgresql_15
    else if atLeast "22.05" then
      pkgs.postgresql_14
    else if atLeast "21.11" then
      removed "13"
    else if atLeast "20.03" then
      removed "11"
    else if atLeast "17.09" then
      removed "9_6"
    else
      removed "9_5";
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
      )) { localhost = { }; };
    };
    security.acme = {
      acceptTerms = withDefault types.bool false;
      defaults = lib.mkOption {
        type = types.submodule {
          options = {
            email = withDefault (types.nullOr types.str) null;
            server = withDefault (types.nullOr types.str) "https://acme-v02.api.letsencrypt.org/directory";
          };
        };
      };
    };
    systemd.tmpfiles.rules = withDefault (types.listOf types.str) [ ];

    services.postgresql = {
      enable = lib.mkEnableOption "PostgreSQL Server";
      # no default: upstream's `config` defines it by system.stateVersion (below); the kinds pin it
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
                type = types.submodule { freeformType = types.attrsOf (types.oneOf [ types.str types.int types.bool ]); };
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

  config = lib.mkMerge [
    {
      assertions =
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
    (lib.mkIf pg.enable {
      services.postgresql.package = lib.mkDefault defaultPostgresql;
      services.postgresql.authentication = lib.mkMerge [
        (lib.mkBefore "# Generated file; do not edit!")
        (lib.mkAfter ''
          # default value of services.postgresql.authentication
          local all postgres         peer map=postgres
          local all all              peer
          host  all all 127.0.0.1/32 md5
          host  all all ::1/128      md5
        '')
      ];
      users.groups.postgres.gid = 71;
      users.users.postgres = {
        description = "PostgreSQL server user";
        group = "postgres";
        home = "/var/lib/postgresql/${pg.package.psqlSchema}";
        name = "postgres";
        uid = 71;
        useDefaultShell = true;
      };
    })
    (lib.mkIf backup.enable {
      systemd.tmpfiles.rules = [ "d '${backup.location}' 0700 postgres - - -" ];
    })
    (lib.mkIf nginx.enable {
      users.groups.nginx.gid = 60;
      users.users.nginx = {
        group = "nginx";
        isSystemUser = true;
        uid = 60;
      };
    })
    (lib.mkIf (nginx.enable && acmeVhosts != { }) {
      users.groups.acme = { };
      users.users.acme = {
        group = "acme";
        home = "/var/lib/acme";
        homeMode = "755";
        isSystemUser = true;
      };
    })
  ];
}
