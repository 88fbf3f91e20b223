# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# Base system: administrators, Nix settings and housekeeping shared by every host.
# Host identity (hostName, time zone, locale, stateVersion) is set in hosts/<name>/default.nix.
{ config, lib, ... }:
let
  cfg = config.stack;
  adminKeys = lib.concatMap (admin: admin.sshKeys) (lib.attrValues cfg.admins);
in
{
  options.stack.admins = lib.mkOption {
    description = "Administrators: members of wheel who log in with their SSH keys. Their keys also open root, by key only.";
    default = { };
    type = lib.types.attrsOf (
      lib.types.submodule {
        options.sshKeys = lib.mkOption {
          type = lib.types.listOf lib.types.singleLineStr;
          default = [ ];
          description = "SSH public keys (one line each, as in ~/.ssh/id_ed25519.pub).";
        };
      }
    );
  };

  config = {
    assertions = [
      {
        assertion = adminKeys != [ ];
        message = "stack.admins has no SSH public key, so nobody could log in (SSH is key-only): add one to admins[].sshKeys in nixos-stack.json and re-sync.";
      }
    ];

    # Users are declared here only: /etc/passwd follows the configuration on every switch.
    users.mutableUsers = false;
    users.users = lib.mkMerge [
      (lib.mapAttrs (_: admin: {
        isNormalUser = true;
        extraGroups = [ "wheel" ];
        openssh.authorizedKeys.keys = admin.sshKeys;
      }) cfg.admins)
      { root.openssh.authorizedKeys.keys = adminKeys; }
    ];
    # Admins have keys, not passwords: sudo asking for a password would lock them out.
    security.sudo.wheelNeedsPassword = false;
    security.sudo.execWheelOnly = true;

    nix.settings = {
      experimental-features = [ "nix-command" "flakes" ];
      auto-optimise-store = true;
    };
    nix.gc = {
      automatic = true;
      dates = "weekly";
      options = "--delete-older-than 30d";
    };

    services.journald.extraConfig = "SystemMaxUse=500M";
  };
}
