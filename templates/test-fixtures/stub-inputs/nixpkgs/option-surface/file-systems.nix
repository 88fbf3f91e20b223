# File systems and the initrd: fileSystems from nixos/modules/tasks/filesystems.nix
# (Swarsel/nixpkgs@4aa6836a; fsType has no default, options default [ "defaults" ]); the root
# file system assertion from nixos/modules/system/boot/stage-1.nix (text unchanged for years,
# stored NixOS/nixpkgs copies); boot.initrd.*KernelModules from nixos/modules/system/boot/kernel.nix
# (set by profiles/qemu-guest.nix); boot.isContainer from
# nixos/modules/virtualisation/nixos-containers.nix (it turns GRUB and the initrd off).
{ config, lib, ... }:
let
  types = lib.types;
  isNonEmpty = s: builtins.match "[ \t\n]*" s == null;
  nonEmptyStr = types.addCheck types.str isNonEmpty // {
    description = "string (with check: non-empty)";
  };
  nonEmptyWithoutTrailingSlash = types.addCheck types.str (s: isNonEmpty s && builtins.match ".+/" s == null) // {
    description = "string (with check: non-empty without trailing slash)";
  };
  fileSystemOpts =
    { config, name, ... }:
    {
      options = {
        enable = lib.mkOption {
          type = types.bool;
          default = true;
        };
        mountPoint = lib.mkOption {
          type = nonEmptyWithoutTrailingSlash;
          default = name;
        };
        device = lib.mkOption {
          type = types.nullOr nonEmptyStr;
          default = null;
        };
        label = lib.mkOption {
          type = types.nullOr nonEmptyStr;
          default = null;
        };
        fsType = lib.mkOption { type = nonEmptyStr; };
        options = lib.mkOption {
          type = types.nonEmptyListOf nonEmptyStr;
          default = [ "defaults" ];
        };
      };
      config.device = lib.mkIf (config.label != null) (lib.mkDefault "/dev/disk/by-label/${config.label}");
    };
in
{
  options = {
    boot.isContainer = lib.mkOption {
      type = types.bool;
      default = false;
    };
    boot.initrd = {
      enable = lib.mkOption {
        type = types.bool;
        default = !config.boot.isContainer;
      };
      availableKernelModules = lib.mkOption {
        type = types.listOf types.str;
        default = [ ];
      };
      kernelModules = lib.mkOption {
        type = types.listOf types.str;
        default = [ ];
      };
    };
    fileSystems = lib.mkOption {
      type = types.attrsOf (types.submodule fileSystemOpts);
      default = { };
      apply = lib.filterAttrs (_: fs: fs.enable);
    };
  };

  config.assertions = lib.optional config.boot.initrd.enable {
    assertion = lib.any (fs: fs.mountPoint == "/") (lib.attrValues config.fileSystems);
    message = "The ‘fileSystems’ option does not specify your root file system.";
  };
}
