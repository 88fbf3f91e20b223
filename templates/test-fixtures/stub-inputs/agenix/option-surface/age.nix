# ryantm/agenix modules/age.nix (ryantm/agenix@b027ee29d959fda4b60b57566d64c98a202e0feb): the
# age.* options our templates set or read, with upstream's types and defaults, and the assertion
# that a host has an identity to decrypt with (identityPaths, from openssh's RSA/ed25519 host
# keys). Not modelled: the activation scripts and the agenix-install-secrets unit (they need
# packages), `ageBin`, `secretsMountPoint`, darwin.
{ config, lib, ... }:
let
  cfg = config.age;
  types = lib.types;
  users = config.users.users;

  secretType = types.submodule (
    { config, ... }:
    {
      options = {
        name = lib.mkOption {
          type = types.str;
          default = config._module.args.name;
        };
        file = lib.mkOption {
          type = types.path;
        };
        path = lib.mkOption {
          type = types.str;
          default = "${cfg.secretsDir}/${config.name}";
        };
        mode = lib.mkOption {
          type = types.str;
          default = "0400";
        };
        owner = lib.mkOption {
          type = types.str;
          default = "0";
        };
        group = lib.mkOption {
          type = types.str;
          default = users.${config.owner}.group or "0";
        };
        symlink = lib.mkOption {
          type = types.bool;
          default = true;
        };
      };
    }
  );
in
{
  options.age = {
    secrets = lib.mkOption {
      type = types.attrsOf secretType;
      default = { };
    };
    secretsDir = lib.mkOption {
      type = types.path;
      default = "/run/agenix";
    };
    identityPaths = lib.mkOption {
      type = types.listOf types.path;
      default =
        if (config.services.openssh.enable or false) then
          map (e: e.path) (lib.filter (e: e.type == "rsa" || e.type == "ed25519") config.services.openssh.hostKeys)
        else
          [ ];
    };
  };

  config = lib.mkIf (cfg.secrets != { }) {
    assertions = [
      {
        assertion = cfg.identityPaths != [ ];
        message = "age.identityPaths must be set, for example by enabling openssh.";
      }
    ];
  };
}
