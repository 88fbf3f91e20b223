# nixos/modules/tasks/network-interfaces.nix (stored NixOS/nixpkgs copies; the type is
# unchanged since PR #138978, as downstream copies of it show): networking.hostName is a DNS
# label (no dots), default "nixos" (system.nixos.distroId).
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
