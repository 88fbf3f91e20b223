# The data container's services (the containers kind), reference §10:
# - services.redis.servers.<name>: nixos/modules/services/databases/redis.nix: enable, port
#   (types.port; 6379 only for the instance "", any other name defaults to 0 = no TCP listener),
#   bind (nullOr str, "127.0.0.1"), requirePassFile (nullOr path, null), requirePass (nullOr str);
#   the assertion that the two passwords are exclusive.
# - services.nats: nixos/modules/services/networking/nats.nix: enable, jetstream (bool), port
#   (4222), dataDir ("/var/lib/nats"), settings (freeform JSON).
# - services.qdrant: nixos/modules/services/search/qdrant.nix: enable, settings (freeform YAML;
#   the module's mkDefaults service.host "127.0.0.1", http_port 6333, grpc_port 6334).
# - services.postgresql: nixos/modules/services/databases/postgresql.nix: enableTCPIP (bool,
#   false), settings (freeform; port 5432). enable, ensureDatabases, ensureUsers and
#   authentication are declared here by type only, so they merge with the web-app kind's fuller
#   declaration (lib/modules.nix mergeOptionDecls: at most one default).
{ config, lib, ... }:
let
  types = lib.types;
  typed = type: lib.mkOption { inherit type; };
  json = types.attrsOf types.anything;
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
      settings = lib.mkOption {
        type = json;
        default = { };
      };
    };
    postgresql = {
      enable = typed types.bool;
      enableTCPIP = lib.mkOption {
        type = types.bool;
        default = false;
      };
      settings = lib.mkOption {
        type = json;
        default = { };
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

  config.assertions = lib.mapAttrsToList (name: s: {
    assertion = s.requirePass != null -> s.requirePassFile == null;
    message = "You can only set one services.redis.servers.${name}.requirePass or services.redis.servers.${name}.requirePassFile";
  }) config.services.redis.servers;
}
