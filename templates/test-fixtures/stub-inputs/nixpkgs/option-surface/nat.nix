# networking.nat from nixos/modules/services/networking/nat.nix (Swarsel/nixpkgs@4aa6836a), as
# the containers kind uses it: enable (false), internalInterfaces (listOf str, []),
# externalInterface (nullOr str, null), and what enabling it does that other checks read: IPv4
# forwarding on, at mkOverride 99 (so it wins over a plain sysctl definition of the same keys,
# such as one from hosts[].tuning). Its assertions concern enableIPv6, dmzHost and forwardPorts,
# which no template sets.
{ config, lib, ... }:
let
  types = lib.types;
in
{
  options.networking.nat = {
    enable = lib.mkOption {
      type = types.bool;
      default = false;
    };
    internalInterfaces = lib.mkOption {
      type = types.listOf types.str;
      default = [ ];
    };
    externalInterface = lib.mkOption {
      type = types.nullOr types.str;
      default = null;
    };
  };

  config = lib.mkIf config.networking.nat.enable {
    boot.kernel.sysctl = {
      "net.ipv4.conf.all.forwarding" = lib.mkOverride 99 true;
      "net.ipv4.conf.default.forwarding" = lib.mkOverride 99 true;
    };
  };
}
