# nixos/modules/security/sudo.nix (Swarsel/nixpkgs@4aa6836a): the options our templates set.
{ lib, ... }:
{
  options.security.sudo = {
    enable = lib.mkOption {
      type = lib.types.bool;
      default = true;
    };
    wheelNeedsPassword = lib.mkOption {
      type = lib.types.bool;
      default = true;
    };
    execWheelOnly = lib.mkOption {
      type = lib.types.bool;
      default = false;
    };
  };
}
