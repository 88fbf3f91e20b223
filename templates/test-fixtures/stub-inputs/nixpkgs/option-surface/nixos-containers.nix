# Declarative containers: nixos/modules/virtualisation/nixos-containers.nix, read at
# Swarsel/nixpkgs@4aa6836a (reference §7). containers.<name>: autoStart (false), privateNetwork
# (false), privateUsers (either ints.u32 (enum no identity pick), "no"), hostAddress/localAddress (nullOr str, null), bindMounts (attrsOf { hostPath ? null;
# isReadOnly ? true; mountPoint ? <attr name> (mkDefault name); }) and `config`, a NixOS module
# the module evaluates as a whole system of its own (eval-config.nix with
# boot.isNspawnContainer = true, which makes boot.isContainer default to true, and
# networking.hostName = mkDefault <name>). Here that evaluation is the same option surface as the
# host's branch, so every option a container's config sets is checked as strictly as the host's,
# its assertions included (its system.build.toplevel is forced with the host's).
# Assertions (upstream evaluates them inside the container's own system): a name must not
# contain "_"; with privateNetwork the name must be at most 11 characters (ve-<name> is an
# interface name; upstream asserts it on kernels before 5.8 only — the stand-in asserts it
# always, as the kind's names do: stricter, not looser).
# The host's NAT is ./nat.nix, the firewall's per-interface ports ./firewall.nix.
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
              boot.isNspawnContainer = true;
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
              # passed to systemd-nspawn as --private-users=<value> (startScript); "pick" and a
              # number also add :idmap to the /nix bind mounts only, never to bindMounts
              privateUsers = lib.mkOption {
                type = types.either types.ints.u32 (
                  types.enum [
                    "no"
                    "identity"
                    "pick"
                  ]
                );
                default = "no";
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
