# nixos/modules/system/boot/loader/systemd-boot/systemd-boot.nix (NixOS/nixpkgs):
# boot.loader.systemd-boot.enable (bool, default false). boot.loader.efi.* is in ./boot-grub.nix.
{ lib, ... }:
{
  options.boot.loader.systemd-boot.enable = lib.mkOption {
    type = lib.types.bool;
    default = false;
  };
}
