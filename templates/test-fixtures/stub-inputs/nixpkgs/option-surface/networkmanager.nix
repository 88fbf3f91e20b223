# nixos/modules/services/networking/networkmanager.nix (NixOS/nixpkgs): networking.networkmanager.enable
# (bool, default false); when on, the module creates the `networkmanager` group whose members may
# change connections (users.groups.networkmanager.gid = config.ids.gids.networkmanager).
{ config, lib, ... }:
{
  options.networking.networkmanager.enable = lib.mkOption {
    type = lib.types.bool;
    default = false;
  };
  config = lib.mkIf config.networking.networkmanager.enable { users.groups.networkmanager = { }; };
}
