# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# Kernel and system tuning from nixos-stack.json (hosts[].tuning; docs/performance-tuning.md).
# sysctl values keep their types (an integer stays an integer: boot.kernel.sysctl,
# nixos/modules/config/sysctl.nix); a value another module also sets differently fails
# evaluation naming both, rather than one silently winning. The open-file limit applies to
# every systemd service (systemd.settings.Manager.DefaultLimitNOFILE, systemd-system.conf(5);
# systemd.extraConfig is removed in favour of it: nixos/modules/system/boot/systemd.nix) and to
# login sessions (security.pam.loginLimits, pam_limits: nixos/modules/security/pam.nix).
# Containers (modules/services/containers.nix, when the host runs them) get the net.* keys and
# the open-file limit into their own namespace and systemd; vm.*, kernel.* and fs.* are global.
{ config, lib, ... }:
let
  cfg = config.stack.tuning;
in
{
  options.stack.tuning = {
    sysctl = lib.mkOption {
      type = lib.types.attrsOf (lib.types.either lib.types.int lib.types.str);
      default = { };
      description = "sysctl values by key.";
    };
    nofile = lib.mkOption {
      type = lib.types.nullOr (lib.types.ints.between 1024 1048576);
      default = null;
      description = "The open-file limit (soft and hard) of services and login sessions.";
    };
  };

  config = lib.mkMerge [
    { boot.kernel.sysctl = cfg.sysctl; }
    (lib.mkIf (cfg.nofile != null) {
      systemd.settings.Manager.DefaultLimitNOFILE = cfg.nofile;
      security.pam.loginLimits = [
        {
          domain = "*";
          type = "-";
          item = "nofile";
          value = cfg.nofile;
        }
      ];
    })
  ];
}
