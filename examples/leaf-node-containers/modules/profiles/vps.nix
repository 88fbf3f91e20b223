# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# A virtual server on a QEMU/KVM cloud (Hetzner, DigitalOcean, ...): the virtio drivers.
{ modulesPath, ... }:
{
  imports = [ (modulesPath + "/profiles/qemu-guest.nix") ];
}
