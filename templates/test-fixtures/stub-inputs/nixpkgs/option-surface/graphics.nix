# nixos/modules/hardware/graphics.nix (NixOS/nixpkgs, since 24.11 on every supported branch):
# hardware.graphics.enable (bool, default false): the GPU drivers (Mesa) for hardware video decoding.
{ lib, ... }:
{
  options.hardware.graphics.enable = lib.mkOption {
    type = lib.types.bool;
    default = false;
  };
}
