# nixos/modules/services/networking/firewall.nix (Swarsel/nixpkgs@4aa6836a): on by default; the
# global port lists and each networking.firewall.interfaces.<name> (attrsOf a submodule of the
# same `commonOptions`) sorted and de-duplicated by `apply`; while on, it always trusts "lo".
# Its assertions concern filterForward and autoLoadConntrackHelpers, which no template sets.
{ config, lib, ... }:
let
  types = lib.types;
  canonicalizePortList = ports: lib.unique (builtins.sort builtins.lessThan ports);
  portList = lib.mkOption {
    type = types.listOf types.port;
    default = [ ];
    apply = canonicalizePortList;
  };
  commonOptions = {
    allowedTCPPorts = portList;
    allowedUDPPorts = portList;
  };
in
{
  options.networking.firewall = commonOptions // {
    enable = lib.mkOption {
      type = types.bool;
      default = true;
    };
    trustedInterfaces = lib.mkOption {
      type = types.listOf types.str;
      default = [ ];
    };
    interfaces = lib.mkOption {
      default = { };
      type = types.attrsOf (types.submodule [ { options = commonOptions; } ]);
    };
  };

  config = lib.mkIf config.networking.firewall.enable {
    networking.firewall.trustedInterfaces = [ "lo" ];
  };
}
