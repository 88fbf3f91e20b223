# nixos/modules/system/build.nix (read in stored copies: NixOS/nixpkgs's, unchanged in the
# downstream copies of the module since lib.mdDoc's removal): system.build is a submodule whose
# freeform attributes are each defined once (`lazyAttrsOf (uniq unspecified)`, so a second
# definition of one fails: "is defined multiple times while it's expected to be unique");
# top-level.nix declares system.build.toplevel in it (./top-level.nix) and
# activation-script.nix system.build.installBootLoader (./activation-scripts.nix).
{ lib, ... }:
{
  options.system.build = lib.mkOption {
    default = { };
    description = "Attribute set of derivations used to set up the system.";
    type = lib.types.submoduleWith {
      modules = [ { freeformType = with lib.types; lazyAttrsOf (uniq unspecified); } ];
    };
  };
}
