# Where nixpkgs keeps nixos/modules/misc/meta.nix, which home-manager's modules/modules.nix
# imports (`pkgs.path + "/nixos/modules/misc/meta.nix"`): its interface, meta.maintainers,
# meta.doc, meta.buildDocsInSandbox and meta.teams (nixos/modules/misc/meta.nix, every current
# branch), without the documentation machinery.
{ lib, ... }:
let
  types = lib.types;
in
{
  options.meta = {
    maintainers = lib.mkOption {
      type = types.listOf types.raw;
      internal = true;
      default = [ ];
    };
    teams = lib.mkOption {
      type = types.listOf types.raw;
      internal = true;
      default = [ ];
    };
    doc = lib.mkOption {
      type = types.path;
      internal = true;
    };
    buildDocsInSandbox = lib.mkOption {
      type = types.bool;
      internal = true;
      default = true;
    };
  };
}
