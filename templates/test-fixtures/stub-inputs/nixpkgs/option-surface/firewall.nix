# nixos/modules/services/networking/firewall.nix (NixOS/nixpkgs, the commonOptions block,
# unchanged in the stored copies): on by default; port lists sorted and de-duplicated by
# `apply`; the module always trusts "lo".
{ lib, ... }:
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

  config.networking.firewall.trustedInterfaces = [ "lo" ];
}
