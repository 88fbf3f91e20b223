# systemd.settings.Manager (Swarsel/nixpkgs@4aa6836a nixos/modules/system/boot/systemd.nix): a
# freeform submodule of unit option values for systemd-system.conf(5); `systemd.extraConfig`
# was removed in its favour in 25.11 ("Use systemd.settings.Manager instead."), so only this
# exists on both branches. Upstream's own definitions of it (`config`): DefaultIOAccounting and
# DefaultIPAccounting at mkDefault true, and ManagerEnvironment, at normal priority, from
# systemd.managerEnvironment (not declared here: its value is upstream's PATH, LOCALE_ARCHIVE,
# TZDIR, …; modelled as a string, so a second definition of it conflicts as upstream).
{ lib, ... }:
{
  imports = [ (lib.mkRemovedOptionModule [ "systemd" "extraConfig" ] "Use systemd.settings.Manager instead.") ];

  options.systemd.settings.Manager = lib.mkOption {
    default = { };
    type = lib.types.submodule { freeformType = lib.types.attrsOf (import ./unit-option.nix lib); };
  };

  config.systemd.settings.Manager = {
    DefaultIOAccounting = lib.mkDefault true;
    DefaultIPAccounting = lib.mkDefault true;
    ManagerEnvironment = "LOCALE_ARCHIVE=/run/current-system/sw/lib/locale/locale-archive TZDIR=/etc/zoneinfo";
  };
}
