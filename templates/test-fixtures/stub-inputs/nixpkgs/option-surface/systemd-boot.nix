# nixos/modules/system/boot/loader/systemd-boot/systemd-boot.nix (Swarsel/nixpkgs@4aa6836a):
# boot.loader.systemd-boot.enable (bool, default false); when on, it turns GRUB off by default
# (`boot.loader.grub.enable = mkDefault false`), asserts that the ESP mount point
# (boot.loader.efi.efiSysMountPoint, ./boot-grub.nix) is absolute, and defines
# system.build.installBootLoader, which only one boot loader may define
# (./activation-scripts.nix).
{ config, lib, ... }:
let
  efi = config.boot.loader.efi;
in
{
  options.boot.loader.systemd-boot.enable = lib.mkOption {
    type = lib.types.bool;
    default = false;
  };

  config = lib.mkIf config.boot.loader.systemd-boot.enable {
    assertions = [
      {
        assertion = lib.hasPrefix "/" efi.efiSysMountPoint;
        message = "The ESP mount point '${toString efi.efiSysMountPoint}' must be an absolute path";
      }
    ];
    boot.loader.grub.enable = lib.mkDefault false;
    # upstream: the systemd-boot-builder.py wrapper script
    system.build.installBootLoader = "install-systemd-boot.sh (stand-in)";
  };
}
