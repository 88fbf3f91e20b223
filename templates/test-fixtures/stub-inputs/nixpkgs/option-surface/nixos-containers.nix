# Declarative containers and the host's NAT, as the containers kind uses them.
# - containers.<name>: nixos/modules/virtualisation/nixos-containers.nix (reference §7): autoStart
#   (false), privateNetwork (false), hostAddress/localAddress (nullOr str, null), bindMounts
#   (attrsOf { hostPath ? null; isReadOnly ? true; mountPoint ? <attr name>; }) and `config`, a
#   NixOS module the module evaluates as a whole system of its own (eval-config.nix with
#   boot.isContainer = true and networking.hostName = mkDefault <name>). Here that evaluation is
#   the same option surface as the host's branch, so every option a container's config sets is
#   checked as strictly as the host's, its assertions included (its system.build.toplevel is
#   forced with the host's).
#   Assertions: a name must not contain "_"; with privateNetwork the name must be at most 11
#   characters (ve-<name> is an interface name; upstream asserts it on kernels before 5.8 — the
#   stand-in asserts it always, as the kind's names do).
# - networking.nat: nixos/modules/services/networking/nat.nix: enable (false), internalInterfaces
#   (listOf str, []), externalInterface (nullOr str, null).
# - networking.firewall.interfaces.<name>.allowedTCPPorts: nixos/modules/services/networking/firewall.nix
#   (attrsOf submodule of the same port lists as the global ones, default {}).
{
  config,
  lib,
  stubBranch,
  ...
}:
let
  types = lib.types;
  surfaces = {
    "26.05" = ./nixos-26.05.nix;
  };
  surface = surfaces.${config.system.nixos.release} or ./nixos-unstable.nix;
  hostPlatform = config.nixpkgs.hostPlatform;
  containerSystem =
    name:
    lib.mkOptionType {
      name = "Toplevel NixOS config";
      merge =
        loc: defs:
        (lib.evalModules {
          class = "nixos";
          # the host's branch: the fake package set and the surface's per-branch defaults
          # (./nixpkgs.nix, ./web-app.nix) read it, as the host's evaluation does
          specialArgs = { inherit stubBranch; };
          modules = [
            surface
            {
              boot.isContainer = true;
              networking.hostName = lib.mkDefault name;
              nixpkgs.hostPlatform = hostPlatform.system;
            }
          ]
          ++ map (def: {
            _file = "${def.file}, via option ${lib.showOption loc}";
            imports = [ def.value ];
          }) defs;
        }).config;
    };
  portList = lib.mkOption {
    type = types.listOf types.port;
    default = [ ];
  };
in
{
  options = {
    containers = lib.mkOption {
      default = { };
      type = types.attrsOf (
        types.submodule (
          { name, ... }:
          {
            options = {
              config = lib.mkOption { type = containerSystem name; };
              autoStart = lib.mkOption {
                type = types.bool;
                default = false;
              };
              privateNetwork = lib.mkOption {
                type = types.bool;
                default = false;
              };
              hostAddress = lib.mkOption {
                type = types.nullOr types.str;
                default = null;
              };
              localAddress = lib.mkOption {
                type = types.nullOr types.str;
                default = null;
              };
              bindMounts = lib.mkOption {
                default = { };
                type = types.attrsOf (
                  types.submodule (
                    { name, ... }:
                    {
                      options = {
                        mountPoint = lib.mkOption {
                          type = types.str;
                          default = name;
                        };
                        hostPath = lib.mkOption {
                          type = types.nullOr types.str;
                          default = null;
                        };
                        isReadOnly = lib.mkOption {
                          type = types.bool;
                          default = true;
                        };
                      };
                    }
                  )
                );
              };
            };
          }
        )
      );
    };
    networking.nat = {
      enable = lib.mkOption {
        type = types.bool;
        default = false;
      };
      internalInterfaces = lib.mkOption {
        type = types.listOf types.str;
        default = [ ];
      };
      externalInterface = lib.mkOption {
        type = types.nullOr types.str;
        default = null;
      };
    };
    networking.firewall.interfaces = lib.mkOption {
      default = { };
      type = types.attrsOf (types.submodule { options.allowedTCPPorts = portList; });
    };
  };

  config.assertions = lib.flatten (
    lib.mapAttrsToList (name: c: [
      {
        assertion = !lib.hasInfix "_" name;
        message = ''
          Names containing underscores are not allowed in nixos-containers. Please rename the container '${name}'
        '';
      }
      {
        assertion = !c.privateNetwork || lib.stringLength name <= 11;
        message = ''
          Container name `${name}` is too long: When `privateNetwork` is enabled, container names can
          not be longer than 11 characters, because the container's interface name is derived from it.
        '';
      }
    ]) config.containers
  );
}
