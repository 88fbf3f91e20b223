# nixos/modules/services/security/fail2ban.nix (Swarsel/nixpkgs@4aa6836a): the options our
# templates set (under stack.security.fail2ban.enable), the sshd log level it raises, and its
# warning without a firewall.
{ config, lib, ... }:
let
  cfg = config.services.fail2ban;
in
{
  options.services.fail2ban = {
    enable = lib.mkOption {
      type = lib.types.bool;
      default = false;
    };
    maxretry = lib.mkOption {
      type = lib.types.ints.unsigned;
      default = 3;
    };
    bantime = lib.mkOption {
      type = lib.types.str;
      default = "10m";
    };
  };

  config = lib.mkIf cfg.enable {
    services.openssh.settings.LogLevel = lib.mkDefault "VERBOSE";
    warnings = lib.mkIf (!config.networking.firewall.enable) [ "fail2ban can not be used without a firewall" ];
  };
}
