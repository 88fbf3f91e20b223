# nixos/modules/tasks/network-interfaces.nix (NixOS/nixpkgs, quoted unchanged by the
# nixos-facts reference and by downstream copies since PR #138978): networking.hostName is a
# DNS label (no dots), default "nixos" (system.nixos.distroId).
{ lib, ... }:
{
  options.networking = {
    hostName = lib.mkOption {
      type = lib.types.strMatching "^$|^[[:alnum:]]([[:alnum:]_-]{0,61}[[:alnum:]])?$";
      default = "nixos";
    };
    # nixos/modules/tasks/network-interfaces.nix: read by openssh (AddressFamily) and fail2ban
    enableIPv6 = lib.mkOption {
      type = lib.types.bool;
      default = true;
    };
  };
}
