# swapDevices from nixos/modules/config/swap.nix (Swarsel/nixpkgs@4aa6836a, and the same interface
# in NixOS/nixpkgs@03a362fe): a list of submodules, each naming a device (a non-empty string) or
# a label; randomEncryption (a bool or its submodule: coercedTo bool), with the assertion that a
# randomly encrypted device is not named by uuid or label, and the warning that a size on a
# block device has no effect. The real disko module (module.nix, `swapDevices = lib.mkIf
# cfg.enableConfig cfg.devices._config.swapDevices or [ ]`) always defines it, so the surface must
# declare it. Not modelled: the mkswap-* units and the internal deviceName/realDevice.
{ config, lib, ... }:
let
  types = lib.types;
in
{
  options.swapDevices = lib.mkOption {
    default = [ ];
    type = types.listOf (
      types.submodule (
        { config, options, ... }:
        {
          options = {
            device = lib.mkOption { type = types.nonEmptyStr; };
            randomEncryption = lib.mkOption {
              default = false;
              type = types.coercedTo types.bool (enable: { inherit enable; }) (
                types.submodule {
                  options = {
                    enable = lib.mkOption {
                      type = types.bool;
                      default = false;
                    };
                    allowDiscards = lib.mkOption {
                      type = types.bool;
                      default = false;
                    };
                    cipher = lib.mkOption {
                      type = types.str;
                      default = "aes-xts-plain64";
                    };
                    keySize = lib.mkOption {
                      type = types.nullOr types.int;
                      default = null;
                    };
                    sectorSize = lib.mkOption {
                      type = types.nullOr types.int;
                      default = null;
                    };
                    source = lib.mkOption {
                      type = types.str;
                      default = "/dev/urandom";
                    };
                  };
                }
              );
            };
            label = lib.mkOption { type = types.str; };
            size = lib.mkOption {
              type = types.nullOr types.int;
              default = null;
            };
            priority = lib.mkOption {
              type = types.nullOr types.int;
              default = null;
            };
            discardPolicy = lib.mkOption {
              type = types.nullOr (types.enum [ "once" "pages" "both" ]);
              default = null;
            };
            options = lib.mkOption {
              type = types.listOf types.nonEmptyStr;
              default = [ "defaults" ];
            };
          };
          config.device = lib.mkIf options.label.isDefined "/dev/disk/by-label/${config.label}";
        }
      )
    );
  };

  config = lib.mkIf (config.swapDevices != [ ]) {
    assertions = map (sw: {
      assertion = sw.randomEncryption.enable -> builtins.match "/dev/disk/by-(uuid|label)/.*" sw.device == null;
      message = ''
        You cannot use swap device "${sw.device}" with randomEncryption enabled.
        The UUIDs and labels will get erased on every boot when the partition is encrypted.
        Use /dev/disk/by-partuuid/… instead.
      '';
    }) config.swapDevices;
    warnings = lib.concatMap (
      sw: lib.optional (sw.size != null && lib.hasPrefix "/dev/" sw.device) "Setting the swap size of block device ${sw.device} has no effect"
    ) config.swapDevices;
  };
}
