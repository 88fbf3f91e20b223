# Stand-in for nixos/modules/profiles/qemu-guest.nix (read at NixOS/nixpkgs@07320dad and
# faukah/nixpkgs@3b20077c, the same in both): the virtio drivers in the initrd, nothing else.
_: {
  boot.initrd.availableKernelModules = [
    "virtio_net"
    "virtio_pci"
    "virtio_mmio"
    "virtio_blk"
    "virtio_scsi"
    "9p"
    "9pnet_virtio"
  ];
  boot.initrd.kernelModules = [
    "virtio_balloon"
    "virtio_console"
    "virtio_rng"
    "virtio_gpu"
  ];
}
