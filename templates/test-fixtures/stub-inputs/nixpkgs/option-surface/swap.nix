# swapDevices from nixos/modules/config/swap.nix (NixOS/nixpkgs@03a362fe; the interface is
# unchanged on release-26.05 and master): a list of submodules, each naming a device or label.
# The real disko module (module.nix, `swapDevices = lib.mkIf cfg.enableConfig
# cfg.devices._config.swapDevices or [ ]`) always defines it, so the surface must declare it.
# Not modelled: randomEncryption's submodule (coercedTo bool), the mkswap-* units.
{ lib, ... }:
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
            device = lib.mkOption { type = types.str; };
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
}
