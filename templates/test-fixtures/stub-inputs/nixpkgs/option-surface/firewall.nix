# nixos/modules/services/networking/firewall.nix (Swarsel/nixpkgs@4aa6836a): on by default;
# port lists sorted and de-duplicated by `apply`; while on, it always trusts "lo".
{ config, lib, ... }:
let
  canonicalizePortList = ports: lib.unique (builtins.sort builtins.lessThan ports);
  portList = lib.mkOption {
    type = lib.types.listOf lib.types.port;
    default = [ ];
    apply = canonicalizePortList;
  };
in
{
  options.networking.firewall = {
    enable = lib.mkOption {
      type = lib.types.bool;
      default = true;
    };
    allowedTCPPorts = portList;
    allowedUDPPorts = portList;
    trustedInterfaces = lib.mkOption {
      type = lib.types.listOf lib.types.str;
      default = [ ];
    };
  };

  config = lib.mkIf config.networking.firewall.enable {
    networking.firewall.trustedInterfaces = [ "lo" ];
  };
}
