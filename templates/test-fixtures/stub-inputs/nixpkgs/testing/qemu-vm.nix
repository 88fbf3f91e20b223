# What nixos/modules/virtualisation/qemu-vm.nix (imported into every test node by
# nixos/lib/testing/nodes.nix) adds that our VM tests rely on, read at NixOS/nixpkgs (stored
# copies; the options as borrowed by downstream copies of qemu-vm.nix): memorySize and cores
# (ints.positive, defaults 1024 MiB and 1), and, with useDefaultFilesystems (the default), the
# VM's own file systems and boot device over whatever the host declares (mkVMOverride:
# `fileSystems = mkVMOverride cfg.fileSystems`, `boot.loader.grub.device = mkVMOverride …`).
{ lib, ... }:
{
  options.virtualisation = {
    memorySize = lib.mkOption {
      type = lib.types.ints.positive;
      default = 1024;
    };
    cores = lib.mkOption {
      type = lib.types.ints.positive;
      default = 1;
    };
  };

  config = {
    fileSystems = lib.mkVMOverride {
      "/" = {
        device = "/dev/vda";
        fsType = "ext4";
      };
    };
    boot.loader.grub.device = lib.mkVMOverride "/dev/vda";
  };
}
