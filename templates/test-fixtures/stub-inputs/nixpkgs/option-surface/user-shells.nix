# nixos/modules/config/users-groups.nix (NixOS/nixpkgs): users.users.<name>.shell (a package
# or a path, default pkgs.shadow) and ignoreShellProgramCheck, with the assertion that a user
# whose shell is pkgs.fish, pkgs.xonsh or pkgs.zsh has programs.<shell>.enable = true (else the
# shell lacks the Nix directories in its PATH and logging in may be impossible).
# nixos/modules/programs/zsh/zsh.nix and nixos/modules/programs/fish.nix: programs.<shell>.enable.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  types = lib.types;
  checkedShells = [
    "fish"
    "xonsh"
    "zsh"
  ];
in
{
  options.users.users = lib.mkOption {
    type = types.attrsOf (
      types.submodule {
        options = {
          shell = lib.mkOption {
            type = types.nullOr (types.either types.package types.path);
            default = pkgs.shadow;
          };
          ignoreShellProgramCheck = lib.mkOption {
            type = types.bool;
            default = false;
          };
        };
      }
    );
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

  config.assertions = lib.concatLists (
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
        '';
      }) checkedShells
    ) config.users.users
  );
}
