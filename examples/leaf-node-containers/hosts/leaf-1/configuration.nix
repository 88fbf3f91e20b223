# Your settings for host "leaf-1". nixos-stack never overwrites this file.
# Anything here merges with the generated modules; use lib.mkForce to override them.
{ pkgs, ... }:
{
  # stack.security.fail2ban.enable = true;

  environment.systemPackages = [
    pkgs.git
    pkgs.htop
  ];
}
