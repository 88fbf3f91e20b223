# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# SSH and firewall hardening, daily upgrades from the flake, optional fail2ban.
{ config, lib, ... }:
let
  cfg = config.stack.security;
in
{
  options.stack.security = {
    # no default: every host sets it from nixos-stack.json (hosts[].deploy.sshPort), the one source
    sshPort = lib.mkOption {
      type = lib.types.port;
      description = "The port sshd listens on (and the only port opened for it).";
    };
    fail2ban.enable = lib.mkEnableOption "fail2ban, banning addresses after repeated failed SSH logins";
    # set from nixos-stack.json (hosts[].deploy.autoUpgrade)
    autoUpgrade = lib.mkOption {
      type = lib.types.bool;
      default = true;
      description = "Rebuild daily from /etc/nixos on this host (system.autoUpgrade). Off for a host that is built elsewhere (update.sh --build-on local): a rebuild here would compile on a small server and replace the pushed build with its own.";
    };
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

    # Rebuild daily from the copy of this repo that update.sh keeps in /etc/nixos, pinned by
    # its flake.lock: new packages arrive when you run `nix flake update` locally and ./update.sh.
    # update.sh records the commit in /etc/nixos/.nixos-stack/revision, so the rebuilt system
    # keeps the configurationRevision of the pushed one. stack.security.autoUpgrade = false (a
    # host built elsewhere) turns it off.
    # upgrade = false: --upgrade updates root's `nixos` channel (nixos-rebuild(8)), never the
    # flake. nixos-26.05 passes it unless a channel is set or upgrade = false; newer nixpkgs
    # passes it only when neither channel nor flake is set, so there this line changes nothing
    # (nixos/modules/tasks/auto-upgrade.nix).
    system.autoUpgrade = {
      enable = cfg.autoUpgrade;
      flake = "path:/etc/nixos#${config.networking.hostName}";
      upgrade = false;
      dates = "04:40";
      randomizedDelaySec = "45min";
    };
    # nixos-anywhere leaves /etc/nixos empty: skip the upgrade until update.sh has copied the repo.
    # (only with the upgrade on: defined alone, it would be a unit with no command)
    systemd.services.nixos-upgrade = lib.mkIf cfg.autoUpgrade {
      unitConfig.ConditionPathExists = "/etc/nixos/flake.nix";
    };
  };
}
