# File systems and the initrd, read at Swarsel/nixpkgs@4aa6836a (nixos-unstable just after the
# 26.05 branch-off; see README.md, "Where the versions were read"):
# - fileSystems: nixos/modules/tasks/filesystems.nix. fsType has no default, options default
#   [ "defaults" ]; a label sets device to /dev/disk/by-label/<label> (spaces and tabs escaped as
#   in fstab); a special fsType (proc, sysfs, tmpfs, …) is its own device; the assertion that
#   label and device agree; and fstab's "No device specified for mount point" (a throw while
#   /etc/fstab is written, modelled as an assertion with upstream's text).
# - the root file system assertion: nixos/modules/system/boot/stage-1.nix (scripted initrd) and
#   nixos/modules/system/boot/systemd/initrd.nix (systemd initrd, `root = "fstab"`, the default
#   on both branches): the same text, so modelled once while the initrd is on.
# - boot.initrd.enable (default !boot.isContainer): stage-1.nix.
# - boot.initrd.availableKernelModules / kernelModules: nixos/modules/system/boot/kernel.nix since
#   nixpkgs PR #375975 (2025, so on 26.05 and unstable): a list of names or an attrset of
#   name = bool (`attrNamesToTrue`, coercedTo (listOf str) → attrsOf bool), default { }, whose
#   value is the sorted names set to true (`apply`). Set by profiles/qemu-guest.nix.
# - boot.isContainer (default boot.isNspawnContainer) and boot.isNspawnContainer (default false,
#   true in a declarative container): nixos/modules/virtualisation/nixos-containers.nix.
{ config, lib, ... }:
let
  types = lib.types;
  # kernel.nix and filesystems.nix: a list of names is an attrset of those names set to true
  attrNamesToTrue = types.coercedTo (types.listOf types.str) (
    enabledList: lib.genAttrs enabledList (_attrName: true)
  ) (types.attrsOf types.bool);
  modulesOption = lib.mkOption {
    type = attrNamesToTrue;
    default = { };
    apply = mods: lib.attrNames (lib.filterAttrs (_: v: v) mods);
  };
  # filesystems.nix: fstab's escaping of a label in /dev/disk/by-label/<label>
  escape = string: builtins.replaceStrings [ " " "\t" ] [ "\\040" "\\011" ] string;
  specialFSTypes = [
    "proc"
    "sysfs"
    "tmpfs"
    "ramfs"
    "devtmpfs"
    "devpts"
  ];
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
      config.device = lib.mkMerge [
        (lib.mkIf (lib.elem config.fsType specialFSTypes) (lib.mkDefault config.fsType))
        (lib.mkIf (config.label != null) (lib.mkDefault "/dev/disk/by-label/${escape config.label}"))
      ];
    };
in
{
  options = {
    boot.isContainer = lib.mkOption {
      type = types.bool;
      default = config.boot.isNspawnContainer;
    };
    boot.isNspawnContainer = lib.mkOption {
      type = types.bool;
      default = false;
    };
    boot.initrd = {
      enable = lib.mkOption {
        type = types.bool;
        default = !config.boot.isContainer;
      };
      availableKernelModules = modulesOption;
      kernelModules = modulesOption;
    };
    fileSystems = lib.mkOption {
      type = types.attrsOf (types.submodule fileSystemOpts);
      default = { };
      apply = lib.filterAttrs (_: fs: fs.enable);
    };
  };

  config.assertions =
    lib.optional config.boot.initrd.enable {
      assertion = lib.any (fs: fs.mountPoint == "/") (lib.attrValues config.fileSystems);
      message = "The ‘fileSystems’ option does not specify your root file system.";
    }
    ++ lib.concatMap (fs: [
      {
        assertion = fs.label != null -> fs.device == "/dev/disk/by-label/${escape fs.label}";
        message = ''
          The filesystem with mount point ${fs.mountPoint} has its label and device set to inconsistent values:
            label: ${toString fs.label}
            device: ${toString fs.device}
          'filesystems.<name>.label' and 'filesystems.<name>.device' are mutually exclusive. Please set only one.
        '';
      }
      {
        # upstream throws this while writing /etc/fstab (makeFstabEntries)
        assertion = fs.device != null;
        message = "No device specified for mount point ‘${fs.mountPoint}’.";
      }
    ]) (lib.attrValues config.fileSystems);
}
