# Mic92/sops-nix modules/sops/default.nix (Mic92/sops-nix@56b24064fdcaedca53553b1a6d607fd23b613a24):
# the sops.* options our templates set or read, with upstream's types and defaults; each secret's
# sopsFileHash, which hashes its sopsFile at evaluation when validateSopsFiles is on (so a missing
# file fails evaluation, as upstream); and upstream's assertions: a key source (the host's
# ed25519 SSH keys from openssh), owner/uid and group/gid exclusivity. Not modelled: the
# activation/systemd units, the build-time validation of the files' sops metadata
# (validationPackage: sops-install-secrets -check-mode=sopsfile), templates, gnupg.
{ config, lib, ... }:
let
  cfg = config.sops;
  types = lib.types;
  users = config.users.users;

  secretType = types.submodule (
    { config, ... }:
    {
      config = {
        sopsFile = lib.mkOptionDefault cfg.defaultSopsFile;
        sopsFileHash = lib.mkOptionDefault (
          lib.optionalString cfg.validateSopsFiles "${builtins.hashFile "sha256" config.sopsFile}"
        );
      };
      options = {
        name = lib.mkOption {
          type = types.str;
          default = config._module.args.name;
        };
        key = lib.mkOption {
          type = types.str;
          default = if cfg.defaultSopsKey != null then cfg.defaultSopsKey else config._module.args.name;
        };
        path = lib.mkOption {
          type = types.str;
          default = if config.neededForUsers then "/run/secrets-for-users/${config.name}" else "/run/secrets/${config.name}";
        };
        format = lib.mkOption {
          type = types.enum [
            "yaml"
            "json"
            "binary"
            "dotenv"
            "ini"
          ];
          default = cfg.defaultSopsFormat;
        };
        mode = lib.mkOption {
          type = types.str;
          default = "0400";
        };
        owner = lib.mkOption {
          type = types.nullOr types.str;
          default = null;
        };
        uid = lib.mkOption {
          type = types.nullOr types.int;
          default = 0;
        };
        group = lib.mkOption {
          type = types.nullOr types.str;
          default = if config.owner != null then users.${config.owner}.group else null;
        };
        gid = lib.mkOption {
          type = types.nullOr types.int;
          default = 0;
        };
        sopsFile = lib.mkOption {
          type = types.path;
        };
        sopsFileHash = lib.mkOption {
          type = types.str;
          readOnly = true;
        };
        restartUnits = lib.mkOption {
          type = types.listOf types.str;
          default = [ ];
        };
        neededForUsers = lib.mkOption {
          type = types.bool;
          default = false;
        };
      };
    }
  );

  # upstream's defaultImportKeys: the host keys of that type, unless deployed by sops itself
  defaultImportKeys =
    algo:
    if config.services.openssh.enable then
      map (e: e.path) (lib.filter (e: e.type == algo && !(lib.hasPrefix "/run/secrets" e.path)) config.services.openssh.hostKeys)
    else
      [ ];
in
{
  options.sops = {
    secrets = lib.mkOption {
      type = types.attrsOf secretType;
      default = { };
    };
    defaultSopsFile = lib.mkOption {
      type = types.path;
    };
    defaultSopsFormat = lib.mkOption {
      type = types.str;
      default = "yaml";
    };
    defaultSopsKey = lib.mkOption {
      type = types.nullOr types.str;
      default = null;
    };
    validateSopsFiles = lib.mkOption {
      type = types.bool;
      default = true;
    };
    age = {
      keyFile = lib.mkOption {
        type = types.nullOr types.str;
        default = null;
      };
      sshKeyPaths = lib.mkOption {
        type = types.listOf types.path;
        default = defaultImportKeys "ed25519";
      };
    };
    gnupg = {
      home = lib.mkOption {
        type = types.nullOr types.str;
        default = null;
      };
      sshKeyPaths = lib.mkOption {
        type = types.listOf types.path;
        default = defaultImportKeys "rsa";
      };
    };
  };

  config = lib.mkIf (cfg.secrets != { }) {
    assertions = [
      {
        assertion = cfg.gnupg.home != null || cfg.gnupg.sshKeyPaths != [ ] || cfg.age.keyFile != null || cfg.age.sshKeyPaths != [ ];
        message = "No key source configured for sops. Either set services.openssh.enable or set sops.age.keyFile or sops.gnupg.home";
      }
      {
        assertion = !(cfg.gnupg.home != null && cfg.gnupg.sshKeyPaths != [ ]);
        message = "Exactly one of sops.gnupg.home and sops.gnupg.sshKeyPaths must be set";
      }
    ]
    ++ lib.optionals cfg.validateSopsFiles (
      lib.concatLists (
        lib.mapAttrsToList (name: secret: [
          {
            assertion = secret.uid != null && secret.uid != 0 -> secret.owner == null;
            message = "In ${secret.name} exactly one of sops.owner and sops.uid must be set";
          }
          {
            assertion = secret.gid != null && secret.gid != 0 -> secret.group == null;
            message = "In ${secret.name} exactly one of sops.group and sops.gid must be set";
          }
        ]) cfg.secrets
      )
    );
  };
}
