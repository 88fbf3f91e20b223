# security.pam.loginLimits (nixos/modules/security/pam.nix, limitsType, read in stored copies
# of several releases: unchanged): limits.conf(5) entries for pam_limits.
{ lib, ... }:
let
  types = lib.types;
in
{
  options.security.pam.loginLimits = lib.mkOption {
    default = [ ];
    type = types.listOf (
      types.submodule {
        options = {
          domain = lib.mkOption { type = types.str; };
          type = lib.mkOption {
            type = types.enum [ "-" "hard" "soft" ];
            default = "-";
          };
          item = lib.mkOption {
            type = types.enum [
              "core"
              "data"
              "fsize"
              "memlock"
              "nofile"
              "rss"
              "stack"
              "cpu"
              "nproc"
              "as"
              "maxlogins"
              "maxsyslogins"
              "priority"
              "locks"
              "sigpending"
              "msgqueue"
              "nice"
              "rtprio"
            ];
          };
          value = lib.mkOption { type = types.oneOf [ types.str types.int ]; };
        };
      }
    );
  };
}
