# nixos/modules/services/networking/networkmanager.nix (Swarsel/nixpkgs@4aa6836a):
# networking.networkmanager.enable (bool, default false); when on, the module creates the
# `networkmanager` group whose members may change connections (polkit rule), the nm-openvpn
# group and account (uid and gid 217, nixos/modules/misc/ids.nix) and the nm-iodine system
# account; its assertion concerns networking.wireless.networks, which no template sets.
{ config, lib, ... }:
{
  options.networking.networkmanager.enable = lib.mkOption {
    type = lib.types.bool;
    default = false;
  };
  config = lib.mkIf config.networking.networkmanager.enable {
    users.groups = {
      networkmanager = { };
      nm-openvpn.gid = 217;
    };
    users.users = {
      nm-iodine = {
        group = "networkmanager";
        isSystemUser = true;
      };
      nm-openvpn = {
        extraGroups = [ "networkmanager" ];
        group = "nm-openvpn";
        uid = 217;
      };
    };
  };
}
