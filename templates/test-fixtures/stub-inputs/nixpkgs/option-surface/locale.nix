# nixos/modules/config/locale.nix and nixos/modules/config/i18n.nix (Swarsel/nixpkgs@4aa6836a).
{ lib, ... }:
{
  # locale.nix: null (UTC, settable with timedatectl) or a zone name without spaces
  options.time.timeZone = lib.mkOption {
    type =
      lib.types.nullOr (
        lib.types.addCheck lib.types.str (s: lib.filter (c: c == " ") (lib.stringToCharacters s) == [ ])
      )
      // {
        description = "null or string without spaces";
      };
    default = null;
  };

  # i18n.nix
  options.i18n.defaultLocale = lib.mkOption {
    type = lib.types.str;
    default = "en_US.UTF-8";
  };
}
