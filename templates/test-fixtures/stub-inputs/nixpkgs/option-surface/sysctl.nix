# boot.kernel.sysctl (Swarsel/nixpkgs@4aa6836a nixos/modules/config/sysctl.nix): a submodule
# whose freeform values are bools, strings, ints or null, each merged with mergeOneOption (two
# different definitions of one key fail, naming both); net.core.{rmem,wmem}_max merge to the
# highest; and the NixOS-wide mkDefault values the module sets.
{ lib, ... }:
let
  sysctlOption = lib.mkOptionType {
    check =
      val:
      let
        checkType = x: lib.isBool x || lib.isString x || lib.isInt x || x == null;
      in
      checkType val || (val._type or "" == "override" && checkType val.content);
    merge = loc: defs: lib.mergeOneOption loc defs;
    name = "sysctl option value";
  };
  highestValueType = lib.types.ints.unsigned // {
    merge = loc: defs: lib.foldl (a: b: if b.value == null then null else lib.max a b.value) 0 defs;
  };
in
{
  options.boot.kernel.sysctl = lib.mkOption {
    default = { };
    type = lib.types.submodule {
      options = {
        "net.core.rmem_max" = lib.mkOption {
          type = lib.types.nullOr highestValueType;
          default = null;
        };
        "net.core.wmem_max" = lib.mkOption {
          type = lib.types.nullOr highestValueType;
          default = null;
        };
      };
      freeformType = lib.types.attrsOf sysctlOption;
    };
  };

  config.boot.kernel.sysctl = {
    "fs.inotify.max_user_instances" = lib.mkDefault 524288;
    "fs.inotify.max_user_watches" = lib.mkDefault 524288;
    "kernel.kptr_restrict" = lib.mkDefault 1;
    "vm.max_map_count" = lib.mkDefault 1048576;
  };
}
