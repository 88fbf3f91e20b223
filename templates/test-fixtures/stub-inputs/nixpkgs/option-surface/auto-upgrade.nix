# nixos/modules/tasks/auto-upgrade.nix: the options, and the assertions when enabled.
# Read at Swarsel/nixpkgs@4aa6836a (nixos-unstable just after the 26.05 branch-off), and in a
# later stored copy (unstable, commit unknown) that adds reboot triggers and an assertion
# against containers. The options our templates set are the same in both. What differs is
# the script, which this surface does not model: the earlier one adds `--upgrade` whenever
# no channel is set and `upgrade` is true; the later one only when neither channel nor
# flake is set.
{ config, lib, ... }:
let
  cfg = config.system.autoUpgrade;
in
{
  options.system.autoUpgrade = {
    enable = lib.mkOption {
      type = lib.types.bool;
      default = false;
    };
    flake = lib.mkOption {
      type = lib.types.nullOr lib.types.str;
      default = null;
    };
    channel = lib.mkOption {
      type = lib.types.nullOr lib.types.str;
      default = null;
    };
    upgrade = lib.mkOption {
      type = lib.types.bool;
      default = true;
    };
    flags = lib.mkOption {
      type = lib.types.listOf lib.types.str;
      default = [ ];
    };
    dates = lib.mkOption {
      type = lib.types.str;
      default = "04:40";
    };
    operation = lib.mkOption {
      type = lib.types.enum [
        "switch"
        "boot"
      ];
      default = "switch";
    };
    allowReboot = lib.mkOption {
      type = lib.types.bool;
      default = false;
    };
    randomizedDelaySec = lib.mkOption {
      type = lib.types.str;
      default = "0";
    };
    persistent = lib.mkOption {
      type = lib.types.bool;
      default = true;
    };
    runGarbageCollection = lib.mkOption {
      type = lib.types.bool;
      default = false;
    };
  };

  config = lib.mkIf cfg.enable {
    assertions = [
      {
        assertion = !(cfg.channel != null && cfg.flake != null);
        message = ''
          The options 'system.autoUpgrade.channel' and 'system.autoUpgrade.flake' cannot both be set.
        '';
      }
      {
        assertion = cfg.runGarbageCollection -> config.nix.enable;
        message = ''
          The option 'system.autoUpgrade.runGarbageCollection = true' requires 'nix.enable = true'.
        '';
      }
    ];

    system.autoUpgrade.flags =
      if cfg.flake == null then
        [ "--no-build-output" ]
        ++ lib.optionals (cfg.channel != null) [
          "-I"
          "nixpkgs=${cfg.channel}/nixexprs.tar.xz"
        ]
      else
        [
          "--refresh"
          "--flake ${cfg.flake}"
        ];

    # the unit the module defines (its script and environment are not modelled)
    systemd.services.nixos-upgrade = {
      description = "NixOS Upgrade";
      serviceConfig.Type = "oneshot";
      unitConfig.X-StopOnRemoval = false;
    };
  };
}
