# nixos/modules/config/system-path.nix: environment.systemPackages, a list of packages.
{ lib, ... }:
{
  options.environment.systemPackages = lib.mkOption {
    type = lib.types.listOf lib.types.package;
    default = [ ];
  };
}
