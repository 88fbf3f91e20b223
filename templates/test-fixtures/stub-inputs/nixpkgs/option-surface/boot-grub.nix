# nixos/modules/system/boot/loader/grub/grub.nix and loader/efi.nix
# (Swarsel/nixpkgs@4aa6836a): GRUB is on unless the system is a container (or another loader
# turns it off: ./systemd-boot.nix); `device` feeds `devices`, `devices` feeds `mirroredBoots`
# (path /boot); the assertions that make a system unbootable an evaluation error; and, like every
# boot loader, it defines system.build.installBootLoader, which may have one definition only
# (./activation-scripts.nix: "Only one bootloader can be enabled at a time").
{
  config,
  lib,
  ...
}:
let
  cfg = config.boot.loader.grub;
  types = lib.types;
  bootDeviceCounters = lib.foldr (device: attr: attr // { ${device} = (attr.${device} or 0) + 1; }) { } (
    lib.concatMap (args: args.devices) cfg.mirroredBoots
  );
in
{
  options.boot.loader.efi = {
    canTouchEfiVariables = lib.mkOption {
      type = types.bool;
      default = false;
    };
    efiSysMountPoint = lib.mkOption {
      type = types.str;
      default = "/boot";
    };
  };

  options.boot.loader.grub = {
    enable = lib.mkOption {
      type = types.bool;
      default = !config.boot.isContainer;
    };
    device = lib.mkOption {
      type = types.str;
      default = "";
    };
    devices = lib.mkOption {
      type = types.listOf types.str;
      default = [ ];
    };
    efiSupport = lib.mkOption {
      type = types.bool;
      default = false;
    };
    efiInstallAsRemovable = lib.mkOption {
      type = types.bool;
      default = false;
    };
    # "Maximum of configurations in boot menu"
    configurationLimit = lib.mkOption {
      type = types.int;
      default = 100;
    };
    mirroredBoots = lib.mkOption {
      default = [ ];
      type = types.listOf (
        types.submodule {
          options = {
            devices = lib.mkOption {
              type = types.listOf types.str;
              default = [ ];
            };
            path = lib.mkOption { type = types.str; };
            efiSysMountPoint = lib.mkOption {
              type = types.nullOr types.str;
              default = null;
            };
            efiBootloaderId = lib.mkOption {
              type = types.nullOr types.str;
              default = null;
            };
          };
        }
      );
    };
  };

  config = lib.mkIf cfg.enable {
    assertions = [
      {
        assertion = cfg.mirroredBoots != [ ];
        message =
          "You must set the option ‘boot.loader.grub.devices’ or "
          + "'boot.loader.grub.mirroredBoots' to make the system bootable.";
      }
      {
        assertion =
          cfg.efiSupport || lib.all (c: c < 2) (lib.mapAttrsToList (n: c: if n == "nodev" then 0 else c) bootDeviceCounters);
        message = "You cannot have duplicated devices in mirroredBoots";
      }
      {
        assertion = cfg.efiInstallAsRemovable -> cfg.efiSupport;
        message = "If you wish to to use boot.loader.grub.efiInstallAsRemovable, then turn on boot.loader.grub.efiSupport";
      }
      {
        assertion = cfg.efiInstallAsRemovable -> !config.boot.loader.efi.canTouchEfiVariables;
        message = "If you wish to to use boot.loader.grub.efiInstallAsRemovable, then turn off boot.loader.efi.canTouchEfiVariables";
      }
    ]
    ++ lib.concatMap (
      args:
      [
        {
          assertion = args.devices != [ ];
          message = "A boot path cannot have an empty devices string in ${args.path}";
        }
        {
          assertion = lib.hasPrefix "/" args.path;
          message = "Boot paths must be absolute, not ${args.path}";
        }
        {
          assertion = if args.efiSysMountPoint == null then true else lib.hasPrefix "/" args.efiSysMountPoint;
          message = "EFI paths must be absolute, not ${args.efiSysMountPoint}";
        }
      ]
      ++ map (device: {
        assertion = device == "nodev" || lib.hasPrefix "/" device;
        message = "GRUB devices must be absolute paths, not ${device} in ${args.path}";
      }) args.devices
    ) cfg.mirroredBoots;

    boot.loader.grub.devices = lib.mkIf (cfg.device != "") [ cfg.device ];
    # upstream: the install-grub.pl wrapper script
    system.build.installBootLoader = "install-grub.sh (stand-in)";
    boot.loader.grub.mirroredBoots = lib.mkIf (cfg.devices != [ ]) [
      {
        inherit (cfg) devices;
        inherit (config.boot.loader.efi) efiSysMountPoint;
        path = "/boot";
      }
    ];
  };
}
