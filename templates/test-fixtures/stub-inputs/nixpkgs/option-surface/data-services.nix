# The data container's services (the containers kind), reference §10:
# - services.redis.servers.<name>: nixos/modules/services/databases/redis.nix: enable, port
#   (types.port; 6379 only for the instance "", any other name defaults to 0 = no TCP listener),
#   bind (nullOr str, "127.0.0.1"), requirePassFile (nullOr path, null), requirePass (nullOr str);
#   the assertion, over the enabled servers, that the two passwords are exclusive (upstream's
#   two-line message). Upstream also derives each server's `settings` (port, bind, dir, …) from
#   these options; no template sets `settings`, so it is not declared here (Swarsel/nixpkgs@4aa6836a).
# - services.nats: nixos/modules/services/networking/nats.nix: enable, jetstream (bool), port
#   (4222), serverName ("nats"), dataDir ("/var/lib/nats"), settings ((pkgs.formats.json { }).type).
# - services.qdrant: nixos/modules/services/search/qdrant.nix: enable, settings
#   ((pkgs.formats.yaml { }).type, no default: only the module's mkDefault values below).
# - services.postgresql: nixos/modules/services/databases/postgresql.nix: enableTCPIP (bool,
#   false), settings (a submodule: port 5432, log_line_prefix "[%p] ", freeform attrsOf (oneOf
#   [ bool float int str ])). enable, ensureDatabases, ensureUsers and authentication are
#   declared here by type only, so they merge with the web-app kind's fuller declaration
#   (lib/modules.nix mergeOptionDecls: at most one default).
#
# The `config` these upstream modules define themselves on the options our templates also set,
# with upstream's priority, so a template (or a manifest value) that defines one of them
# differently fails here as it fails on a real nixpkgs ("The option `…' has conflicting
# definition values"), and a lower-priority upstream value is overridden as it is upstream.
# Read at Swarsel/nixpkgs@4aa6836a (nixos-unstable after the 26.05 branch-off; the same lines
# at NixOS/nixpkgs@1d51c8b3 for nats, so on 26.05 too):
# - nats.nix, `config = mkIf cfg.enable`: settings = { jetstream = optionalAttrs cfg.jetstream
#   { store_dir = cfg.dataDir; }; port = cfg.port; server_name = cfg.serverName; } (normal
#   priority; NATS keeps its streams under <store_dir>/jetstream).
# - postgresql.nix, `config = mkIf cfg.enable`: settings.{hba_file, ident_file} (the generated
#   pg_hba.conf/pg_ident.conf), listen_addresses (if enableTCPIP then "*" else "localhost") and
#   log_destination ("stderr") at normal priority, jit = mkDefault "off"; authentication gets
#   mkBefore/mkAfter lines (lines merge, never a conflict).
# - qdrant.nix, `config = mkIf cfg.enable`: settings at mkDefault only (service.host
#   "127.0.0.1", http_port 6333, grpc_port 6334, storage paths under /var/lib/qdrant, …; the
#   ones modelled here are those a template sets or a backup reads).
# - redis.nix, `config = mkIf (enabledServers != { })`: per enabled server <name> the unit
#   redis-<name> ("redis" for the server "") our templates extend (after, wantedBy, and the
#   [Service] values that need no package: a template redefining one of them conflicts), its
#   system user and group redis-<name>.
# - nats.nix: the nats user (home dataDir, a system user) and group, and the unit nats with
#   upstream's ExecStart ("${pkgs.nats-server}/bin/nats-server -c ${configFile}", normal priority,
#   configFile the JSON of `settings`: a template that replaces it must use mkForce) and the
#   [Service] values a template could meet (User, Group, Type, Restart; RuntimeDirectory "nats"
#   is NixOS/nixpkgs@03ec700d's, an older copy, and agrees with a template that sets the same).
{
  config,
  lib,
  pkgs,
  ...
}:
let
  types = lib.types;
  typed = type: lib.mkOption { inherit type; };
  json = (pkgs.formats.json { }).type;
  yaml = (pkgs.formats.yaml { }).type;
  nats = config.services.nats;
  pg = config.services.postgresql;
  redisName = name: "redis" + lib.optionalString (name != "") ("-" + name);
  enabledRedis = lib.filterAttrs (_: conf: conf.enable) config.services.redis.servers;
in
{
  options.services = {
    redis.servers = lib.mkOption {
      default = { };
      type = types.attrsOf (
        types.submodule (
          { name, ... }:
          {
            options = {
              enable = lib.mkEnableOption "Redis server";
              port = lib.mkOption {
                type = types.port;
                default = if name == "" then 6379 else 0;
              };
              bind = lib.mkOption {
                type = types.nullOr types.str;
                default = "127.0.0.1";
              };
              requirePass = lib.mkOption {
                type = types.nullOr types.str;
                default = null;
              };
              requirePassFile = lib.mkOption {
                type = types.nullOr types.path;
                default = null;
              };
            };
          }
        )
      );
    };
    nats = {
      enable = lib.mkEnableOption "NATS messaging system";
      jetstream = lib.mkEnableOption "JetStream";
      port = lib.mkOption {
        type = types.port;
        default = 4222;
      };
      serverName = lib.mkOption {
        type = types.str;
        default = "nats";
      };
      user = lib.mkOption {
        type = types.str;
        default = "nats";
      };
      group = lib.mkOption {
        type = types.str;
        default = "nats";
      };
      dataDir = lib.mkOption {
        type = types.path;
        default = "/var/lib/nats";
      };
      settings = lib.mkOption {
        type = json;
        default = { };
      };
    };
    qdrant = {
      enable = lib.mkEnableOption "Vectorra Qdrant";
      settings = lib.mkOption { type = yaml; };
    };
    postgresql = {
      enable = typed types.bool;
      enableTCPIP = lib.mkOption {
        type = types.bool;
        default = false;
      };
      settings = lib.mkOption {
        default = { };
        type = types.submodule {
          freeformType = types.attrsOf (types.oneOf [ types.bool types.float types.int types.str ]);
          options = {
            port = lib.mkOption {
              type = types.port;
              default = 5432;
            };
            log_line_prefix = lib.mkOption {
              type = types.str;
              default = "[%p] ";
            };
          };
        };
      };
      ensureDatabases = typed (types.listOf types.str);
      ensureUsers = typed (
        types.listOf (
          types.submodule {
            options = {
              name = typed types.str;
              ensureDBOwnership = typed types.bool;
            };
          }
        )
      );
      authentication = typed types.lines;
    };
  };

  config = lib.mkMerge [
    # redis.nix
    (lib.mkIf (enabledRedis != { }) {
      assertions = lib.mapAttrsToList (name: conf: {
        assertion = conf.requirePass != null -> conf.requirePassFile == null;
        message = ''
          You can only set one of services.redis.servers.${name}.requirePass
          or services.redis.servers.${name}.requirePassFile
        '';
      }) enabledRedis;
      systemd.services = lib.mapAttrs' (
        name: _:
        lib.nameValuePair (redisName name) {
          after = [ "network.target" ];
          description = "Redis Server - ${redisName name}";
          wantedBy = [ "multi-user.target" ];
          serviceConfig = {
            Group = redisName name;
            NoNewPrivileges = true;
            PrivateTmp = true;
            PrivateUsers = true;
            ProtectHome = true;
            ProtectSystem = "strict";
            RestrictAddressFamilies = [
              "AF_INET"
              "AF_INET6"
              "AF_UNIX"
            ];
            RuntimeDirectory = redisName name;
            RuntimeDirectoryMode = "0750";
            StateDirectory = redisName name;
            StateDirectoryMode = "0700";
            Type = "notify";
            UMask = "0077";
            User = redisName name;
          };
        }
      ) enabledRedis;
      users.groups = lib.mapAttrs' (name: _: lib.nameValuePair (redisName name) { }) enabledRedis;
      users.users = lib.mapAttrs' (
        name: _:
        lib.nameValuePair (redisName name) {
          description = "System user for the redis-server instance ${name}";
          group = redisName name;
          isSystemUser = true;
        }
      ) enabledRedis;
    })
    # nats.nix
    (lib.mkIf nats.enable {
      services.nats.settings = {
        jetstream = lib.optionalAttrs nats.jetstream { store_dir = nats.dataDir; };
        port = nats.port;
        server_name = nats.serverName;
      };
      systemd.services.nats = {
        after = [ "network.target" ];
        description = "NATS messaging system";
        wantedBy = [ "multi-user.target" ];
        serviceConfig = {
          ExecStart = "${pkgs.nats-server}/bin/nats-server -c ${(pkgs.formats.json { }).generate "nats.conf" nats.settings}";
          Group = nats.group;
          Restart = "on-failure";
          Type = "simple";
          User = nats.user;
        };
      };
      users.groups.nats = { };
      users.users.nats = {
        description = "NATS daemon user";
        group = "nats";
        home = nats.dataDir;
        isSystemUser = true;
      };
    })
    # postgresql.nix (hba_file and ident_file are pkgs.writeText files of authentication and identMap)
    (lib.mkIf pg.enable {
      services.postgresql.settings = {
        hba_file = "${pkgs.writeText "pg_hba.conf" pg.authentication}";
        ident_file = "${pkgs.writeText "pg_ident.conf" ""}";
        jit = lib.mkDefault "off";
        listen_addresses = if pg.enableTCPIP then "*" else "localhost";
        log_destination = "stderr";
      };
    })
    # qdrant.nix
    (lib.mkIf config.services.qdrant.enable {
      services.qdrant.settings = {
        service.host = lib.mkDefault "127.0.0.1";
        service.http_port = lib.mkDefault 6333;
        service.grpc_port = lib.mkDefault 6334;
        storage.storage_path = lib.mkDefault "/var/lib/qdrant/storage";
        storage.snapshots_path = lib.mkDefault "/var/lib/qdrant/snapshots";
        telemetry_disabled = lib.mkDefault true;
      };
    })
  ];
}
