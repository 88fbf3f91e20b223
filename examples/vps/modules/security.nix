# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# SSH and firewall hardening, daily upgrades from the flake, optional fail2ban.
{ config, lib, ... }:
let
  cfg = config.stack.security;
in
{
  options.stack.security = {
    sshPort = lib.mkOption {
      type = lib.types.port;
      default = 2222;
      description = "The port sshd listens on (and the only port opened for it).";
    };
    fail2ban.enable = lib.mkEnableOption "fail2ban, banning addresses after repeated failed SSH logins";
  };

  config = {
    # services.openssh: settings.* are the current names (nixos/modules/services/networking/ssh/sshd.nix)
    services.openssh = {
      enable = true;
      ports = [ cfg.sshPort ];
      openFirewall = true;
      settings = {
        PasswordAuthentication = false;
        KbdInteractiveAuthentication = false;
        PermitRootLogin = "prohibit-password";
        X11Forwarding = false;
      };
    };

    networking.firewall = {
      enable = true;
      # the SSH port is added by services.openssh.openFirewall; 443 is for a TLS reverse proxy
      # (e.g. services.nginx in hosts/<name>/configuration.nix); nothing else is reachable
      allowedTCPPorts = [ 443 ];
    };

    services.fail2ban = lib.mkIf cfg.fail2ban.enable {
      enable = true;
      maxretry = 5;
      bantime = "1h";
    };

    # Rebuild daily from the copy of this repo that update.sh keeps in /etc/nixos.
    # upgrade = false: inputs stay pinned by flake.lock (the default true adds --upgrade,
    # which is for channels; nixos/modules/tasks/auto-upgrade.nix). New packages arrive
    # when you run `nix flake update` locally and ./update.sh.
    system.autoUpgrade = {
      enable = true;
      flake = "path:/etc/nixos#${config.networking.hostName}";
      upgrade = false;
      dates = "04:40";
      randomizedDelaySec = "45min";
    };
    # nixos-anywhere leaves /etc/nixos empty: skip the upgrade until update.sh has copied the repo.
    systemd.services.nixos-upgrade.unitConfig.ConditionPathExists = "/etc/nixos/flake.nix";
  };
}
