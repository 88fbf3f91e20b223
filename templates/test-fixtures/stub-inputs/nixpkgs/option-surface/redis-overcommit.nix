# services.redis.vmOverCommit (Swarsel/nixpkgs@4aa6836a nixos/modules/services/databases/redis.nix,
# unstable past 26.05; the option and its definition date from before 26.05): an enable option
# that defaults to true, and upstream's own definition with it, made whenever any server is
# enabled: boot.kernel.sysctl."vm.overcommit_memory" = "1" (a string). In a container that
# write is skipped (/proc/sys/vm is read-only there), so a template that wants it must set it
# where it takes effect.
{ config, lib, ... }:
let
  cfg = config.services.redis;
  enabledServers = lib.filterAttrs (_: conf: conf.enable) cfg.servers;
in
{
  options.services.redis.vmOverCommit = lib.mkEnableOption "set `vm.overcommit_memory` sysctl to 1" // {
    default = true;
  };

  config = lib.mkIf (enabledServers != { }) {
    boot.kernel.sysctl = lib.mkIf cfg.vmOverCommit { "vm.overcommit_memory" = "1"; };
  };
}
