# Users' login shells, read at Swarsel/nixpkgs@4aa6836a:
# - nixos/modules/config/users-groups.nix: users.users.<name>.shell is null, a shell package
#   (`types.shellPackage`: a package with a `shellPath`, as pkgs.bash, zsh, fish, xonsh and
#   shadow carry) or a path without ':' or newline (`passwdEntry path`), default pkgs.shadow;
#   a user with useDefaultShell (what isNormalUser implies, ./users-groups.nix) and root get
#   users.defaultUserShell at mkDefault; ignoreShellProgramCheck; the assertion that a user
#   whose shell is pkgs.fish, pkgs.xonsh or pkgs.zsh has programs.<shell>.enable = true (else the
#   shell lacks the Nix directories in its PATH and logging in may be impossible); and, with
#   users.mutableUsers = false, the assertion that no user's shell is null.
# - nixos/modules/programs/shadow.nix: users.defaultUserShell (either path shellPackage, default
#   "/bin/sh"); nixos/modules/programs/bash/bash.nix sets it to pkgs.bashInteractive at mkDefault.
# - nixos/modules/programs/zsh/zsh.nix, fish.nix, xonsh.nix: programs.<shell>.enable (false).
{
  config,
  lib,
  pkgs,
  ...
}:
let
  types = lib.types;
  cfgUsers = config.users;
  checkedShells = [
    "fish"
    "xonsh"
    "zsh"
  ];
in
{
  options.users.users = lib.mkOption {
    type = types.attrsOf (
      types.submodule (
        { config, name, ... }:
        {
          options = {
            shell = lib.mkOption {
              type = types.nullOr (types.either types.shellPackage (types.passwdEntry types.path));
              default = pkgs.shadow;
            };
            ignoreShellProgramCheck = lib.mkOption {
              type = types.bool;
              default = false;
            };
          };
          config.shell = lib.mkMerge [
            (lib.mkIf config.useDefaultShell (lib.mkDefault cfgUsers.defaultUserShell))
            (lib.mkIf (name == "root") (lib.mkDefault cfgUsers.defaultUserShell))
          ];
        }
      )
    );
  };

  options.users.defaultUserShell = lib.mkOption {
    type = types.either types.path types.shellPackage;
    default = "/bin/sh";
  };

  options.programs = {
    zsh.enable = lib.mkOption {
      type = types.bool;
      default = false;
    };
    fish.enable = lib.mkOption {
      type = types.bool;
      default = false;
    };
    xonsh.enable = lib.mkOption {
      type = types.bool;
      default = false;
    };
  };

  # programs/bash/bash.nix (programs.bash.enable is on by default)
  config.users.defaultUserShell = lib.mkDefault pkgs.bashInteractive;

  config.assertions = [
    (
      let
        usersWithNullShells = lib.attrNames (lib.filterAttrs (_: user: user.shell == null) cfgUsers.users);
      in
      {
        assertion = !cfgUsers.mutableUsers -> usersWithNullShells == [ ];
        message = ''
          users.mutableUsers = false has been set,
          but found users that have their shell set to null.
          If you wish to disable login, set their shell to pkgs.shadow (the default).
          Misconfigured users: ${lib.concatStringsSep " " usersWithNullShells}
        '';
      }
    )
  ]
  ++ lib.concatLists (
    lib.mapAttrsToList (
      _: user:
      map (shell: {
        assertion = !user.ignoreShellProgramCheck -> (user.shell == pkgs.${shell}) -> config.programs.${shell}.enable;
        message = ''
          users.users.${user.name}.shell is set to ${shell}, but
          programs.${shell}.enable is not true. This will cause the ${shell}
          shell to lack the basic nix directories in its PATH and might make
          logging in as that user impossible. You can fix it with:
          programs.${shell}.enable = true;

          If you know what you're doing and you are fine with the behavior,
          set users.users.${user.name}.ignoreShellProgramCheck = true;
          instead.
        '';
      }) checkedShells
    ) config.users.users
  );
}
