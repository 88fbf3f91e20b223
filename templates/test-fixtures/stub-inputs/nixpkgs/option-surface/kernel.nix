# boot.kernelPackages from nixos/modules/system/boot/kernel.nix (the interface is the same on
# release-26.05 and master): the kernel package set, default pkgs.linuxPackages. Upstream's type
# is `types.raw` with an `apply` that extends the set with the configured kernel; here the set is
# a fake one (../fake-packages.nix, linuxPackages). Declared because the real disko module
# (module.nix, disko.imageBuilder.kernelPackages) defaults to it, and the module system reads
# every declared option's default when it merges (lib/modules.nix, mergeDefinitions).
{ lib, pkgs, ... }:
{
  options.boot.kernelPackages = lib.mkOption {
    type = lib.types.raw;
    default = pkgs.linuxPackages;
  };
}
