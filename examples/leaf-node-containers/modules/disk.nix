# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# Disk layout for nixos-anywhere/disko: GPT with a 1M BIOS boot partition, a 512M ESP on
# /boot and an ext4 root, so one layout boots on BIOS and on UEFI servers
# (disko: example/hybrid.nix).
{ config, lib, ... }:
{
  options.stack.disk.device = lib.mkOption {
    type = lib.types.str;
    default = "/dev/sda";
    example = "/dev/disk/by-id/nvme-...";
    description = "The whole disk to partition. nixos-anywhere WIPES it. Check the name with lsblk on the server.";
  };

  config = {
    disko.devices.disk.main = {
      type = "disk";
      device = config.stack.disk.device;
      content = {
        type = "gpt";
        partitions = {
          boot = {
            size = "1M";
            type = "EF02";
          };
          ESP = {
            size = "512M";
            type = "EF00";
            content = {
              type = "filesystem";
              format = "vfat";
              mountpoint = "/boot";
              mountOptions = [ "umask=0077" ];
            };
          };
          root = {
            size = "100%";
            content = {
              type = "filesystem";
              format = "ext4";
              mountpoint = "/";
            };
          };
        };
      };
    };

    # No boot.loader.grub.device(s) here: disko adds the disk of the EF02 partition
    # itself (disko: lib/types/gpt.nix); naming it again duplicates the device.
    boot.loader.grub = {
      enable = true;
      efiSupport = true;
      efiInstallAsRemovable = true;
      # the 512M ESP on /boot holds the kernel and initrd of each generation in the menu
      # (tens of MB a pair); the default menu keeps 100 generations (loader/grub/grub.nix)
      configurationLimit = 10;
    };
  };
}
