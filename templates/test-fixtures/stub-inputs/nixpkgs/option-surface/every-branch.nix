# The parts of the NixOS option surface that are the same on every supported branch, one
# file per upstream module area. Each file cites the upstream source it was read from.
[
  ./assertions.nix
  ./top-level.nix
  ./nixpkgs.nix
  ./version.nix
  ./networking.nix
  ./locale.nix
  ./users-groups.nix
  ./sudo.nix
  ./openssh.nix
  ./firewall.nix
  ./fail2ban.nix
  ./auto-upgrade.nix
  ./nix-settings.nix
  ./systemd.nix
  ./system-path.nix
  ./boot-grub.nix
  ./file-systems.nix
  ./systemd-boot.nix
  ./user-shells.nix
  ./networkmanager.nix
  ./graphics.nix
]
