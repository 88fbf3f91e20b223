# systemd units: nixos/modules/system/boot/systemd.nix declares systemd.services and
# systemd.timers as attrsOf units whose *Config sections are attrsOf unitOption
# (./unit-option.nix). Only what our templates and the surface set is declared.
{ lib, ... }:
let
  types = lib.types;
  unitOption = import ./unit-option.nix lib;
  section = lib.mkOption {
    type = types.attrsOf unitOption;
    default = { };
  };
  unit =
    extra:
    types.submodule {
      options = {
        enable = lib.mkOption {
          type = types.bool;
          default = true;
        };
        description = lib.mkOption {
          type = types.singleLineStr;
          default = "";
        };
        wantedBy = lib.mkOption {
          type = types.listOf types.str;
          default = [ ];
        };
        unitConfig = section;
      }
      // extra;
    };
in
{
  options.systemd = {
    services = lib.mkOption {
      type = types.attrsOf (unit {
        serviceConfig = section;
      });
      default = { };
    };
    timers = lib.mkOption {
      type = types.attrsOf (unit {
        timerConfig = section;
      });
      default = { };
    };
  };
}
