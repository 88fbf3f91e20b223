# home-manager's NixOS module, read at nix-community/home-manager@ec1a8fdf (master, 2026-08-22)
# and @65258d5c (release-26.05, 2026-08-22), the same in both: nixos/common.nix (the
# home-manager.* options; users.<name> is a Home Manager configuration whose home.username
# and home.homeDirectory come from users.users.<name>; each user's assertions and warnings
# become the system's, prefixed "<user> profile: ") and nixos/default.nix (the
# home-manager-<user> activation unit). The options a user's configuration may set are in
# ./home.nix and ./systemd.nix.
{ hmBranch, assertionsModule }:
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.home-manager;
  osConfig = config;
  types = lib.types;

  hmModule = types.submoduleWith {
    description = "Home Manager module";
    class = "homeManager";
    specialArgs = {
      inherit osConfig;
    }
    // cfg.extraSpecialArgs;
    modules = [
      (
        { name, ... }:
        {
          imports = [
            assertionsModule
            (import ./home.nix { inherit hmBranch; })
            ./systemd.nix
          ]
          ++ cfg.sharedModules;

          config = {
            # modules/modules.nix: with useGlobalPkgs the system's pkgs, otherwise home-manager
            # builds its own from the same nixpkgs (the same fake packages here)
            _module.args.pkgs = lib.mkDefault pkgs;
            home.username = osConfig.users.users.${name}.name;
            home.homeDirectory = osConfig.users.users.${name}.home;
          };
        }
      )
    ];
  };
in
{
  options.home-manager = {
    useUserPackages = lib.mkEnableOption "installation of user packages through the users.users.<name>.packages option";
    useGlobalPkgs = lib.mkEnableOption "using the system configuration's `pkgs` argument in Home Manager";
    backupFileExtension = lib.mkOption {
      type = types.nullOr types.str;
      default = null;
    };
    extraSpecialArgs = lib.mkOption {
      type = types.attrs;
      default = { };
    };
    sharedModules = lib.mkOption {
      type = types.listOf types.raw;
      default = [ ];
    };
    startAsUserService = lib.mkOption {
      type = types.bool;
      default = false;
    };
    users = lib.mkOption {
      type = types.attrsOf hmModule;
      default = { };
    };
  };

  config = lib.mkMerge [
    (lib.mkIf (cfg.useUserPackages && cfg.users != { }) {
      users.users = lib.mapAttrs (_: usercfg: { packages = [ usercfg.home.path ]; }) cfg.users;
    })
    (lib.mkIf (cfg.users != { }) {
      warnings = lib.flatten (
        lib.mapAttrsToList (user: usercfg: map (warning: "${user} profile: ${warning}") usercfg.warnings) cfg.users
      );
      assertions = lib.flatten (
        lib.mapAttrsToList (
          user: usercfg:
          map (assertion: {
            inherit (assertion) assertion;
            message = "${user} profile: ${assertion.message}";
          }) usercfg.assertions
        ) cfg.users
      );
    })
    # nixos/default.nix: activation at boot as the user (the unit name is systemd-escaped upstream)
    (lib.mkIf (!cfg.startAsUserService && cfg.users != { }) {
      systemd.services = lib.mapAttrs' (
        _: usercfg:
        lib.nameValuePair "home-manager-${usercfg.home.username}" {
          description = "Home Manager environment for ${usercfg.home.username}";
          wantedBy = [ "multi-user.target" ];
          unitConfig.RequiresMountsFor = usercfg.home.homeDirectory;
          serviceConfig = {
            User = usercfg.home.username;
            Type = "oneshot";
          };
        }
      ) cfg.users;
    })
  ];
}
