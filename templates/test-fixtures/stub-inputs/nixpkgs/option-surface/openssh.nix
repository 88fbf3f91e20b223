# nixos/modules/services/networking/ssh/sshd.nix (Swarsel/nixpkgs@4aa6836a): the options our
# templates set, `settings` as upstream (every declared key with its type and default, any
# other key a keyValue atom; the declared keys take part in the check against keys that differ
# only by case), listenAddresses (each needs an addr), users' authorized keys and principals,
# what `openFirewall` opens, and the sshd account and group the module creates.
# Not modelled: the sshd_config build check (`sshd -G -T` in system.checks), which needs a
# build; the Kerberos/GSSAPI and X11 assertions (no template sets those keys).
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
  nullOrStrings =
    default:
    lib.mkOption {
      type = types.nullOr (types.listOf types.str);
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
    listenAddresses = lib.mkOption {
      default = [ ];
      type = types.listOf (
        types.submodule {
          options = {
            addr = lib.mkOption {
              type = types.nullOr types.str;
              default = null;
            };
            port = lib.mkOption {
              type = types.nullOr types.port;
              default = null;
            };
          };
        }
      );
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
          AcceptEnv = nullOrStrings null;
          AllowUsers = nullOrStrings null;
          AllowGroups = nullOrStrings null;
          DenyUsers = nullOrStrings null;
          DenyGroups = nullOrStrings null;
          AuthorizedPrincipalsFile = lib.mkOption {
            type = types.nullOr types.str;
            default = "none";
          };
          Banner = lib.mkOption {
            type = types.nullOr types.path;
            default = null;
          };
          GatewayPorts = lib.mkOption {
            type = types.nullOr types.str;
            default = "no";
          };
          # enableRecommendedAlgorithms (default true) selects NixOS' curated lists
          Ciphers = nullOrStrings [
            "chacha20-poly1305@openssh.com"
            "aes256-gcm@openssh.com"
            "aes128-gcm@openssh.com"
            "aes256-ctr"
            "aes192-ctr"
            "aes128-ctr"
          ];
          KexAlgorithms = nullOrStrings [
            "mlkem768x25519-sha256"
            "sntrup761x25519-sha512"
            "sntrup761x25519-sha512@openssh.com"
            "curve25519-sha256"
            "curve25519-sha256@libssh.org"
            "diffie-hellman-group-exchange-sha256"
          ];
          Macs = nullOrStrings [
            "hmac-sha2-512-etm@openssh.com"
            "hmac-sha2-256-etm@openssh.com"
            "umac-128-etm@openssh.com"
          ];
          PrintMotd = nullOrBool false;
          StrictModes = nullOrBool true;
          UsePAM = nullOrBool true;
        };
      };
    };
  };

  options.users.users = lib.mkOption {
    type = types.attrsOf (
      types.submodule {
        options.openssh.authorizedPrincipals = lib.mkOption {
          type = types.listOf types.singleLineStr;
          default = [ ];
        };
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
      ]
      ++ map (
        { addr, ... }:
        {
          assertion = addr != null;
          message = "addr must be specified in each listenAddresses entry";
        }
      ) cfg.listenAddresses;

    networking.firewall.allowedTCPPorts = lib.optionals cfg.openFirewall cfg.ports;

    # the privilege separation account
    users.groups.sshd = { };
    users.users.sshd = {
      description = "SSH privilege separation user";
      group = "sshd";
      isSystemUser = true;
    };
  };
}
