# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# The fleet's users, from nixos-stack.json (admins[]; the first is the primary user).
# sudo: "nopasswd" (nixos-stack.json: sudo; docs/bootstrap.md explains both choices).
{
  config,
  lib,
  pkgs,
  ...
}:
let
  accounts = {
    alice = {
      description = "Alice Example";
      extraGroups = [ "wheel" ];
      isNormalUser = true;
      openssh = {
        authorizedKeys = {
          keys = [
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u example-operator@nixos-stack"
          ];
        };
      };
    };
  };
  allKeys = lib.concatMap (name: config.users.users.${name}.openssh.authorizedKeys.keys) (lib.attrNames accounts);
in
{
  # Set by the profile module of each target (modules/profiles/<profile>.nix): the groups the
  # primary user needs there (networkmanager, audio, video, render).
  options.stack.profileGroups = lib.mkOption {
    type = lib.types.listOf lib.types.str;
    default = [ ];
    description = "Groups the target's profile adds to the primary user.";
  };

  config = {
    assertions = [
      {
        assertion = allKeys != [ ];
        message = "admins[0].sshKeys in nixos-stack.json is empty: SSH is key-only, so nobody could log in. Add your public key (~/.ssh/id_ed25519.pub) and re-sync.";
      }
    ];

    users.users = lib.mkMerge [
      accounts
      { alice.extraGroups = config.stack.profileGroups; }
      { alice.shell = pkgs.zsh; }
    ];
    # a login shell other than bash must be enabled system-wide, or it lacks the Nix paths
    # (the shell assertion of nixos/modules/config/users-groups.nix)
    programs.zsh.enable = true;
    # keys only: /etc/passwd follows this file on every switch, and sudo asks for no password
    # (nobody has one to give). The SSH keys above satisfy the lock-out assertion of
    # nixos/modules/config/users-groups.nix.
    users.mutableUsers = false;
    security.sudo.wheelNeedsPassword = false;
    security.sudo.execWheelOnly = true;
  };
}
