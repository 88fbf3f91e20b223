# nixos-unstable (26.11): nixos/modules/system/boot/systemd/journald.nix after nixpkgs PR
# #536538, read in stored unstable copies (riotbib/nixpkgs@51c6958a, and one the index does not
# name; both alike in what is declared here): `settings.Journal` is a freeform
# section of journald.conf(5) keys (attrsOf unitOption), and `extraConfig` is a
# mkRemovedOptionModule: defining it fails evaluation with "no longer has any effect".
# (storage & co. became renamed aliases of settings.Journal.*; not modelled.)
{ lib, ... }:
let
  unitOption = import ./unit-option.nix lib;
in
{
  imports = [
    (lib.mkRemovedOptionModule [
      "services"
      "journald"
      "extraConfig"
    ] "Use services.journald.settings.Journal instead.")
  ];

  options.services.journald.settings.Journal = lib.mkOption {
    default = { };
    type = lib.types.submodule {
      freeformType = lib.types.attrsOf unitOption;
    };
  };

  # riotbib/nixpkgs@51c6958a (a later unstable copy, with journal namespaces): "keep" isn't
  # systemd's default since v258, so upstream sets it explicitly, below every other definition
  config.services.journald.settings.Journal.Audit = lib.mkOptionDefault "keep";
}
