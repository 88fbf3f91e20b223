# Your settings for target "media-center" (profile "media"). nixos-stack never
# overwrites this file. Anything here merges with the generated modules.
{ lib, pkgs, ... }:
{
  # REPLACE: the boot loader. systemd-boot needs an EFI system partition mounted at /boot;
  # on a BIOS machine use GRUB instead:
  #   boot.loader.grub.enable = true;  boot.loader.grub.device = "/dev/sda";
  # (nixos/modules/system/boot/loader/{systemd-boot,grub}; docs/troubleshooting.md, "boot loader")
  boot.loader.systemd-boot.enable = true;
  boot.loader.efi.canTouchEfiVariables = true;
  boot.loader.grub.enable = false;

  # REPLACE: a placeholder root file system, so a fresh repo evaluates before the machine's
  # hardware-configuration.nix exists. lib.mkDefault: the real one from `nixos-generate-config`
  # (imported by ./default.nix when present) takes precedence. Delete this block once it is there.
  fileSystems."/" = lib.mkDefault {
    device = "/dev/disk/by-label/nixos";
    fsType = "ext4";
  };
  fileSystems."/boot" = lib.mkDefault {
    device = "/dev/disk/by-label/boot";
    fsType = "vfat";
  };

  # Network: DHCP on every interface is the NixOS default. A fixed address instead:
  #   networking.interfaces.eno1.ipv4.addresses = [ { address = "192.168.1.10"; prefixLength = 24; } ];

  # Services and packages of this machine, e.g. services.jellyfin.enable = true; pkgs.mpv
  environment.systemPackages = [ ];
}
