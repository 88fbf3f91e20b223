# nixos/modules/services/networking/ssh/sshd.nix (Swarsel/nixpkgs@4aa6836a): the options our
# templates set, `settings` as upstream (declared keys with their types, any other key a
# keyValue atom), users' authorized keys, what `openFirewall` opens, and the assertion
# against keys that differ only by case. Not modelled: the sshd_config build check
# (`sshd -G -T` in system.checks), which needs a build.
{ config, lib, ... }:
let
  cfg = config.services.openssh;
  types = lib.types;
  # pkgs.formats.keyValue { }.type (pkgs/pkgs-lib/formats.nix): attrsOf an atom
  keyValueAtom = types.nullOr (
    types.oneOf [
      types.bool
      types.int
      types.float
      types.str
      types.path
    ]
  );
  nullOrBool =
    default:
    lib.mkOption {
      type = types.nullOr types.bool;
      inherit default;
    };
in
{
  options.services.openssh = {
    enable = lib.mkOption {
      type = types.bool;
      default = false;
    };
    ports = lib.mkOption {
      type = types.listOf types.port;
      default = [ 22 ];
    };
    openFirewall = lib.mkOption {
      type = types.bool;
      default = true;
    };
    # read by agenix (age.identityPaths) and sops-nix (sops.age.sshKeyPaths) for the keys they
    # decrypt with; upstream's type and default (sshd.nix: listOf attrs, RSA 4096 + ed25519)
    hostKeys = lib.mkOption {
      type = types.listOf types.attrs;
      default = [
        {
          type = "rsa";
          bits = 4096;
          path = "/etc/ssh/ssh_host_rsa_key";
        }
        {
          type = "ed25519";
          path = "/etc/ssh/ssh_host_ed25519_key";
        }
      ];
    };
    settings = lib.mkOption {
      default = { };
      type = types.submodule {
        freeformType = types.attrsOf keyValueAtom;
        options = {
          PasswordAuthentication = nullOrBool true;
          KbdInteractiveAuthentication = nullOrBool true;
          PermitRootLogin = lib.mkOption {
            type = types.nullOr (
              types.enum [
                "yes"
                "without-password"
                "prohibit-password"
                "forced-commands-only"
                "no"
              ]
            );
            default = "prohibit-password";
          };
          X11Forwarding = nullOrBool false;
          UseDns = nullOrBool false;
          LogLevel = lib.mkOption {
            type = types.nullOr (
              types.enum [
                "QUIET"
                "FATAL"
                "ERROR"
                "INFO"
                "VERBOSE"
                "DEBUG"
                "DEBUG1"
                "DEBUG2"
                "DEBUG3"
              ]
            );
            default = "INFO";
          };
          AllowUsers = lib.mkOption {
            type = types.nullOr (types.listOf types.str);
            default = null;
          };
          AllowGroups = lib.mkOption {
            type = types.nullOr (types.listOf types.str);
            default = null;
          };
        };
      };
    };
  };

  options.users.users = lib.mkOption {
    type = types.attrsOf (
      types.submodule {
        options.openssh.authorizedKeys = {
          keys = lib.mkOption {
            type = types.listOf types.singleLineStr;
            default = [ ];
          };
          keyFiles = lib.mkOption {
            type = types.listOf types.path;
            default = [ ];
          };
        };
      }
    );
  };

  config = lib.mkIf cfg.enable {
    assertions =
      let
        duplicates = lib.filter (l: lib.length l > 1) (
          lib.attrValues (lib.groupBy lib.strings.toLower (lib.attrNames cfg.settings))
        );
      in
      [
        {
          assertion = duplicates == [ ];
          message = "Duplicate sshd config key; does your capitalization match the option's? Duplicate keys: ${
            lib.concatMapStringsSep ", " (d: "(${lib.concatStringsSep ", " d})") duplicates
          }";
        }
      ];

    networking.firewall.allowedTCPPorts = lib.optionals cfg.openFirewall cfg.ports;
  };
}
