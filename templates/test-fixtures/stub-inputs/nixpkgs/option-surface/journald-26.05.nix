# nixos-26.05: nixos/modules/system/boot/systemd/journald.nix as read at Swarsel/nixpkgs@4aa6836a
# (nixos-unstable just after the 26.05 branch-off, so the same module as 26.05): free-text
# `extraConfig` (lines); there is no `settings`.
{ lib, ... }:
{
  options.services.journald = {
    extraConfig = lib.mkOption {
      type = lib.types.lines;
      default = "";
      example = "Storage=volatile";
    };
    storage = lib.mkOption {
      type = lib.types.enum [
        "persistent"
        "volatile"
        "auto"
        "none"
      ];
      default = "persistent";
    };
  };
}
