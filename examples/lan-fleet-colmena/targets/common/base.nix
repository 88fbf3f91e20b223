# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# Shared by every target of the fleet: Nix settings, SSH, firewall, base packages, time and locale.
# Per-target values (host name, SSH port) are in targets/<name>/default.nix; your own
# settings go in targets/<name>/configuration.nix.
{ pkgs, ... }:
{
  nix.settings = {
    experimental-features = [
      "nix-command"
      "flakes"
    ];
    auto-optimise-store = true;
    # the deploying user may copy store paths to this machine (nixos-rebuild --target-host, deploy-rs)
    trusted-users = [ "@wheel" ];
  };
  nix.gc = {
    automatic = true;
    dates = "weekly";
    options = "--delete-older-than 30d";
  };

  # Key-only SSH; root cannot log in (deploys log in as the primary user and use sudo).
  # settings.* are the current names (nixos/modules/services/networking/ssh/sshd.nix)
  services.openssh = {
    enable = true;
    openFirewall = true;
    settings = {
      PasswordAuthentication = false;
      KbdInteractiveAuthentication = false;
      PermitRootLogin = "no";
    };
  };

  # Only SSH is reachable (opened by services.openssh.openFirewall); open more ports in
  # targets/<name>/configuration.nix (networking.firewall.allowedTCPPorts).
  networking.firewall.enable = true;

  environment.systemPackages = [
    pkgs.curl
    pkgs.git
    pkgs.htop
    pkgs.rsync
  ];

  time.timeZone = "Europe/Berlin";
  i18n.defaultLocale = "en_US.UTF-8";
}
