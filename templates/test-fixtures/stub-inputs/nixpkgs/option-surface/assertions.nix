# nixos/modules/misc/assertions.nix (Swarsel/nixpkgs@4aa6836a, nixos-unstable just after
# the 26.05 branch-off; the same file in every release since 2014). top-level.nix checks them.
{ lib, ... }:
{
  options = {
    assertions = lib.mkOption {
      type = lib.types.listOf lib.types.unspecified;
      internal = true;
      default = [ ];
    };
    warnings = lib.mkOption {
      type = lib.types.listOf lib.types.str;
      internal = true;
      default = [ ];
    };
  };
}
