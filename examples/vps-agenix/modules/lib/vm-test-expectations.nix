# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# What this host's VM test (checks/vm-tests.nix, `checks.<system>.vm-<host>`) waits for. Each
# service module of this repo adds its own units and ports beside the unit it defines, so the
# test follows the configuration. Inert on a real machine: nothing but the VM test reads it.
{ config, lib, ... }:
let
  types = lib.types;
in
{
  options.stack.vmTest = {
    units = lib.mkOption {
      type = types.listOf types.str;
      default = [ ];
      description = "System units that must become active after boot.";
    };
    skippedWithoutSecrets = lib.mkOption {
      type = types.listOf types.str;
      default = [ ];
      description = ''
        Units that start only once their secret file exists (ExecCondition). The VM boots as a
        first deploy does, before any secret is copied in: they must be skipped (condition failed),
        never failed or restarting.
      '';
    };
    userUnits = lib.mkOption {
      type = types.listOf (
        types.submodule {
          options.user = lib.mkOption { type = types.str; };
          options.unit = lib.mkOption { type = types.str; };
        }
      );
      default = [ ];
      description = "User units (home-manager, lingering users) that must become active.";
    };
    ports = lib.mkOption {
      type = types.listOf (
        types.submodule {
          options.port = lib.mkOption { type = types.port; };
          options.address = lib.mkOption {
            type = types.str;
            default = "127.0.0.1";
          };
        }
      );
      default = [ ];
      description = "TCP ports that must answer, on the host or at a container's address.";
    };
    commands = lib.mkOption {
      type = types.listOf types.str;
      default = [ ];
      description = "Shell commands, run as root on the host, that must succeed (a database exists, a timer is queued).";
    };
    containerUnits = lib.mkOption {
      type = types.attrsOf (types.listOf types.str);
      default = { };
      description = "Per declarative container: the units inside it that must become active.";
    };
    containerSkippedWithoutSecrets = lib.mkOption {
      type = types.attrsOf (types.listOf types.str);
      default = { };
      description = "Per declarative container: its skippedWithoutSecrets, the units inside it that must be skipped cleanly.";
    };
  };

  # every machine (hosts, and the declarative containers that import this too): sshd on its
  # ports where it runs, and the firewall
  config.stack.vmTest = lib.mkMerge [
    (lib.mkIf config.services.openssh.enable {
      units = [ "sshd.service" ];
      ports = map (port: { inherit port; }) config.services.openssh.ports;
    })
    (lib.mkIf config.networking.firewall.enable { units = [ "firewall.service" ]; })
  ];
}
