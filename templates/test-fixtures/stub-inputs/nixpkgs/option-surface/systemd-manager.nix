# systemd.settings.Manager (Swarsel/nixpkgs@4aa6836a nixos/modules/system/boot/systemd.nix): a
# freeform submodule of unit option values for systemd-system.conf(5); `systemd.extraConfig`
# was removed in its favour ("Use systemd.settings.Manager instead."), so only this exists.
{ lib, ... }:
{
  imports = [ (lib.mkRemovedOptionModule [ "systemd" "extraConfig" ] "Use systemd.settings.Manager instead.") ];

  options.systemd.settings.Manager = lib.mkOption {
    default = { };
    type = lib.types.submodule { freeformType = lib.types.attrsOf (import ./unit-option.nix lib); };
  };
}
