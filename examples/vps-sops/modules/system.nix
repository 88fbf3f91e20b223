# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# Base system: administrators, Nix settings and housekeeping shared by every host.
# Host identity (hostName, time zone, locale, stateVersion) is set in hosts/<name>/default.nix.
{
  config,
  options,
  lib,
  ...
}:
let
  cfg = config.stack;
  adminKeys = lib.concatMap (admin: admin.sshKeys) (lib.attrValues cfg.admins);

  # The example key of nixos-stack's documentation: well-formed, but nobody holds its private key.
  placeholderKey = {
    type = "ssh-ed25519";
    base64 = "AAAAC3NzaC1lZDI1NTE5AAAAIGZlZWRmYWNlZmVlZGZhY2VmZWVkZmFjZWZlZWRmYWNl";
  };
  # compares the type and base64 fields; options before them and the comment after them do not matter
  isPlaceholderKey =
    key:
    builtins.match "(.*[[:space:]])?${lib.escapeRegex placeholderKey.type}[[:space:]]+${lib.escapeRegex placeholderKey.base64}([[:space:]].*)?" key
    != null;
  adminsWithPlaceholderKey = lib.attrNames (lib.filterAttrs (_: admin: lib.any isPlaceholderKey admin.sshKeys) cfg.admins);
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
      {
        assertion = adminsWithPlaceholderKey == [ ];
        message = "${lib.concatMapStringsSep ", " (name: "stack.admins.${name}.sshKeys") adminsWithPlaceholderKey}: the example placeholder key (${placeholderKey.type} ${placeholderKey.base64}) opens nothing, since nobody holds its private key: installed, this server would lock everyone out. Replace it with your own public key (the line in ~/.ssh/id_ed25519.pub) in admins[].sshKeys of nixos-stack.json and re-sync.";
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
      # update.sh --user <admin> with a local build: nixos-rebuild copies the system with
      # nix-copy-closure as the login user (its --sudo covers only activation: nixos-rebuild-ng
      # nix.py copy_closure), and the daemon refuses unsigned paths from an untrusted user.
      # wheel is root already here (passwordless sudo, above), so trusting it grants nothing new.
      trusted-users = [
        "root"
        "@wheel"
      ];
    };
    nix.gc = {
      automatic = true;
      dates = "weekly";
      options = "--delete-older-than 30d";
    };

    # Cap the journal at 500M. nixos-unstable (26.11) replaced extraConfig with settings.Journal,
    # and defining extraConfig there fails evaluation (nixpkgs PR #536538); nixos-26.05 has no
    # settings (nixos/modules/system/boot/systemd/journald.nix). Test for `settings`: the removed
    # extraConfig is still declared on unstable, to carry the error.
    services.journald =
      if options.services.journald ? settings then
        { settings.Journal.SystemMaxUse = "500M"; }
      else
        { extraConfig = "SystemMaxUse=500M"; };
  };
}
