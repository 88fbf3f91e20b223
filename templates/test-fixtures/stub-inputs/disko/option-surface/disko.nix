# disko's NixOS module, as far as our templates use it, read at nix-community/disko@878ec37d
# (2026-03-14): module.nix (disko.devices, disko.enableConfig; fileSystems and
# boot.loader.grub.devices from the devices), lib/default.nix (subType: a content's `type`
# picks its module; optionTypes.absolute-pathname; hexEscapeUdevSymlink) and
# lib/types/{disk,gpt,filesystem}.nix (their options, defaults and the NixOS config each
# produces). Other content types (luks, btrfs, swap, …) are not modelled: using one fails
# with a message saying which upstream file to add here.
{ config, lib, ... }:
let
  cfg = config.disko;
  types = lib.types;

  # lib/default.nix optionTypes: "/"-rooted, no empty or "."/".." components
  filenameOk = s: s != "" && s != "." && s != "..";
  absolutePathname = lib.mkOptionType {
    name = "absolute pathname";
    description = "An absolute path";
    check =
      x:
      lib.isString x
      && lib.substring 0 1 x == "/"
      && (x == "/" || lib.all filenameOk (lib.filter (s: s != "") (lib.splitString "/" x)));
    merge = lib.mergeOneOption;
  };

  # lib/default.nix hexEscapeUdevSymlink: characters udev would escape in /dev/disk/by-partlabel
  hexEscapeUdevSymlink = lib.stringAsChars (
    c: if lib.match "[0-9A-Za-z#+-.:=@_/]" c != null || c == "" then c else "\\x" + lib.toHexString (lib.strings.charToInt c)
  );

  # every content type disko has (lib/types/*.nix); the surface models `modelled`
  diskoContentTypes = [
    "bcachefs"
    "btrfs"
    "filesystem"
    "gpt"
    "luks"
    "lvm_pv"
    "mdraid"
    "swap"
    "table"
    "zfs"
  ];

  # lib/default.nix subType: read `type` first, then merge the definitions with that kind's module
  subType =
    modelled:
    lib.mkOptionType {
      name = "subType";
      description = "one of ${lib.concatStringsSep "," (lib.attrNames modelled)}";
      check = lib.isAttrs;
      merge =
        loc: defs:
        let
          kind =
            (lib.evalModules {
              modules = [
                {
                  freeformType = types.lazyAttrsOf types.raw;
                  options.type = lib.mkOption { type = types.str; };
                }
              ]
              ++ map (def: {
                _file = def.file;
                config = def.value;
              }) defs;
            }).config.type;
        in
        if modelled ? ${kind} then
          modelled.${kind}.merge loc defs
        else if lib.elem kind diskoContentTypes then
          throw "option surface: disko content type `${kind}' (at ${lib.showOption loc}) is not modelled yet; add it to templates/test-fixtures/stub-inputs/disko/option-surface/disko.nix from disko's lib/types/${kind}.nix"
        else
          throw "disko: `${kind}' (at ${lib.showOption loc}) is not a content type; use one of ${lib.concatStringsSep ", " diskoContentTypes}";
    };

  contentOption =
    modelled:
    lib.mkOption {
      type = types.nullOr (subType modelled);
      default = null;
    };

  # lib/types/filesystem.nix; `parentDevice` is the partition (or disk) it formats
  filesystemType =
    parentDevice:
    types.submodule {
      options = {
        type = lib.mkOption { type = types.enum [ "filesystem" ]; };
        device = lib.mkOption {
          type = types.str;
          default = parentDevice;
        };
        format = lib.mkOption { type = types.str; };
        mountpoint = lib.mkOption {
          type = types.nullOr absolutePathname;
          default = null;
        };
        mountOptions = lib.mkOption {
          type = types.listOf types.str;
          default = [ "defaults" ];
        };
        extraArgs = lib.mkOption {
          type = types.listOf types.str;
          default = [ ];
        };
      };
    };

  # lib/types/gpt.nix; `parent` is the disk it partitions
  gptType =
    parent:
    types.submodule (
      { config, ... }:
      let
        gpt = config;
      in
      {
        options = {
          type = lib.mkOption { type = types.enum [ "gpt" ]; };
          device = lib.mkOption {
            type = types.str;
            default = parent.device;
          };
          partitions = lib.mkOption {
            default = { };
            type = types.attrsOf (
              types.submodule (
                { name, config, ... }:
                {
                  options = {
                    type = lib.mkOption {
                      type = types.either (types.strMatching "[A-Fa-f0-9]{4}") (
                        types.strMatching "[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}"
                      );
                      default = if config.content != null && config.content.type == "swap" then "8200" else "8300";
                    };
                    name = lib.mkOption {
                      type = types.str;
                      default = name;
                    };
                    # 72 bytes of UTF-16: longer labels become a hash
                    label = lib.mkOption {
                      type = types.str;
                      default =
                        let
                          label = "${parent.type}-${parent.name}-${config.name}";
                        in
                        if lib.stringLength label > 36 then builtins.substring 0 36 (builtins.hashString "sha256" label) else label;
                    };
                    device = lib.mkOption {
                      type = types.str;
                      default = "/dev/disk/by-partlabel/${hexEscapeUdevSymlink config.label}";
                    };
                    size = lib.mkOption {
                      type = types.either (types.enum [ "100%" ]) (types.strMatching "[0-9]+[KMGTP]?");
                      default = "0";
                    };
                    start = lib.mkOption {
                      type = types.str;
                      default = "0";
                    };
                    end = lib.mkOption {
                      type = types.str;
                      default = if config.size == "100%" then "-0" else "+${config.size}";
                    };
                    priority = lib.mkOption {
                      type = types.int;
                      default =
                        if config.size == "100%" then
                          9001
                        else if config.type == "EF02" then
                          100
                        else
                          1000;
                    };
                    content = contentOption { filesystem = filesystemType config.device; };
                  };
                }
              )
            );
          };
          # NixOS config: an EF02 (BIOS boot) partition makes the disk a GRUB device
          _grubDevices = lib.mkOption {
            internal = true;
            readOnly = true;
            default = lib.optional (lib.any (part: part.type == "EF02") (lib.attrValues gpt.partitions)) gpt.device;
          };
        };
      }
    );

  # lib/types/disk.nix
  diskType = types.submodule (
    { name, config, ... }:
    {
      options = {
        name = lib.mkOption {
          type = types.str;
          default = lib.replaceStrings [ "/" ] [ "_" ] name;
        };
        type = lib.mkOption {
          type = types.enum [ "disk" ];
          default = "disk";
        };
        device = lib.mkOption { type = absolutePathname; };
        destroy = lib.mkOption {
          type = types.bool;
          default = true;
        };
        imageSize = lib.mkOption {
          type = types.strMatching "[0-9]+[KMGTP]?";
          default = "2G";
        };
        content = contentOption {
          gpt = gptType config;
          filesystem = filesystemType config.device;
        };
      };
    }
  );

  # every filesystem content of every disk, whether on a partition or the whole disk
  contents = lib.concatMap (
    disk:
    if disk.content == null then
      [ ]
    else if disk.content.type == "gpt" then
      [ disk.content ] ++ lib.concatMap (part: lib.optional (part.content != null) part.content) (lib.attrValues disk.content.partitions)
    else
      [ disk.content ]
  ) (lib.attrValues cfg.devices.disk);
  filesystems = lib.filter (c: c.type == "filesystem" && c.mountpoint != null) contents;
in
{
  options.disko = {
    devices = lib.mkOption {
      default = { };
      type = types.submodule {
        options.disk = lib.mkOption {
          type = types.attrsOf diskType;
          default = { };
        };
      };
    };
    enableConfig = lib.mkOption {
      type = types.bool;
      default = true;
    };
    rootMountPoint = lib.mkOption {
      type = types.str;
      default = "/mnt";
    };
  };

  # module.nix: the devices' NixOS configuration, unless enableConfig is off
  config = lib.mkIf cfg.enableConfig {
    fileSystems = lib.mkMerge (
      map (fs: {
        ${fs.mountpoint} = {
          inherit (fs) device;
          fsType = fs.format;
          options = fs.mountOptions;
        };
      }) filesystems
    );
    boot.loader.grub.devices = lib.concatMap (c: c._grubDevices) (lib.filter (c: c.type == "gpt") contents);
  };
}
