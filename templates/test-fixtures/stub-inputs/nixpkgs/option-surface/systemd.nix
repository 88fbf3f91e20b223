# systemd units: nixos/modules/system/boot/systemd.nix declares systemd.services and
# systemd.timers as attrsOf units whose *Config sections are attrsOf unitOption
# (./unit-option.nix). Only what our templates and the surface set is declared.
# The ordering and dependency lists (wants, after, before: listOf unitNameType, default [ ]),
# `path` (listOf (oneOf [ package str ])), `environment` (attrsOf (nullOr (oneOf [ str path package ]))) and serviceConfig's check of
# Type= and Restart= values (checkService) are from nixos/lib/systemd-unit-options.nix
# (NixOS/nixpkgs@01f31c2e, commonUnitOptions and serviceOptions; Type's "notify-reload" is
# systemd 253's, accepted by current nixpkgs). unitNameType is modelled as str.
{ lib, ... }:
let
  types = lib.types;
  unitOption = import ./unit-option.nix lib;
  section = lib.mkOption {
    type = types.attrsOf unitOption;
    default = { };
  };
  unitList = lib.mkOption {
    type = types.listOf types.str;
    default = [ ];
  };
  oneOfOrAbsent =
    config: key: values:
    !(config ? ${key}) || lib.elem config.${key} values;
  checkService =
    config:
    oneOfOrAbsent config "Type" [
      "exec"
      "simple"
      "forking"
      "oneshot"
      "dbus"
      "notify"
      "notify-reload"
      "idle"
    ]
    && oneOfOrAbsent config "Restart" [
      "no"
      "on-success"
      "on-failure"
      "on-abnormal"
      "on-abort"
      "always"
    ];
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
        wants = unitList;
        after = unitList;
        before = unitList;
        # requires: the same type (nixos/lib/systemd-unit-options.nix, commonUnitOptions)
        requires = unitList;
      }
      // extra;
    };
in
{
  options.systemd = {
    services = lib.mkOption {
      type = types.attrsOf (unit {
        serviceConfig = lib.mkOption {
          type = types.addCheck (types.attrsOf unitOption) checkService;
          default = { };
        };
        path = lib.mkOption {
          type = types.listOf (
            types.oneOf [
              types.package
              types.str
            ]
          );
          default = [ ];
        };
        environment = lib.mkOption {
          type = types.attrsOf (
            types.nullOr (
              types.oneOf [
                types.str
                types.path
                types.package
              ]
            )
          );
          default = { };
        };
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
