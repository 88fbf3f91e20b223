# systemd units: nixos/modules/system/boot/systemd.nix declares systemd.services and
# systemd.timers as attrsOf units whose *Config sections are attrsOf unitOption
# (./unit-option.nix). Only what our templates and the surface set is declared.
# The ordering and dependency lists (wantedBy, wants, requires, bindsTo, after, before:
# listOf unitNameType, default [ ]), `path` (listOf (oneOf [ package str ])), `environment`
# (attrsOf (nullOr (oneOf [ str path package ]))) and serviceConfig's check of Type= and
# Restart= values (checkService) are from nixos/lib/systemd-unit-options.nix (faukah/nixpkgs@3b20077c,
# a current copy: sharedOptions, commonUnitOptions, serviceOptions; Type's "notify-reload" is
# systemd 253's). unitNameType is nixos/lib/systemd-lib.nix's strMatching of a unit file name
# (the same pattern in every stored copy): a name without its type suffix ("multi-user") fails.
#
# The assertion and the warnings systemd.nix's `config` derives from the units (Swarsel/nixpkgs@4aa6836a,
# nixos-unstable just after the 26.05 branch-off), ported as upstream writes them:
# - assertion: a service ordered after or wanting network-interfaces.target (gone);
# - warnings: a service or timer ordered after network-online.target without wanting,
#   requiring or binding to it; a Type=oneshot service with Restart=always/on-success;
#   StartLimitInterval= in a [Service] section (it belongs in [Unit], as StartLimitIntervalSec=).
{ config, lib, ... }:
let
  types = lib.types;
  unitOption = import ./unit-option.nix lib;
  unitNameType = types.strMatching "[a-zA-Z0-9@%:_.\\-]+[.](service|socket|device|mount|automount|swap|target|path|timer|scope|slice)";
  section = lib.mkOption {
    type = types.attrsOf unitOption;
    default = { };
  };
  unitList = lib.mkOption {
    type = types.listOf unitNameType;
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
        wantedBy = unitList;
        unitConfig = section;
        wants = unitList;
        requires = unitList;
        bindsTo = unitList;
        after = unitList;
        before = unitList;
      }
      // extra;
    };

  # systemd.nix `warnings`: mkOneNetOnlineWarn, over services and timers
  netOnlineWarnings =
    typeStr: units:
    lib.concatLists (
      lib.mapAttrsToList (
        name: def:
        lib.optional (
          lib.elem "network-online.target" def.after && !(lib.elem "network-online.target" (def.wants ++ def.requires ++ def.bindsTo))
        ) "${name}.${typeStr} is ordered after 'network-online.target' but doesn't depend on it"
      ) units
    );
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

  config = {
    assertions = lib.concatLists (
      lib.mapAttrsToList (
        name: service:
        lib.optional (lib.elem "network-interfaces.target" service.after || lib.elem "network-interfaces.target" service.wants) {
          assertion = false;
          message = "Service '${name}.service' is using the deprecated target network-interfaces.target, which no longer exists. Using network.target is recommended instead.";
        }
      ) config.systemd.services
    );

    warnings =
      lib.concatLists (
        lib.mapAttrsToList (
          name: service:
          let
            type = service.serviceConfig.Type or "";
            restart = service.serviceConfig.Restart or "no";
          in
          lib.optional (
            type == "oneshot" && (restart == "always" || restart == "on-success")
          ) "Service '${name}.service' with 'Type=oneshot' cannot have 'Restart=always' or 'Restart=on-success'"
          ++ lib.optional (service.serviceConfig ? StartLimitInterval) "Service '${name}.service' uses the attribute 'StartLimitInterval' in the Service section, which is deprecated. See https://github.com/NixOS/nixpkgs/issues/45786."
        ) config.systemd.services
      )
      ++ netOnlineWarnings "service" config.systemd.services
      ++ netOnlineWarnings "timer" config.systemd.timers;
  };
}
