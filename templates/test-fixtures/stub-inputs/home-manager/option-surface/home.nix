# The home.* options a Home Manager configuration of ours sets or reads:
# modules/misc/version.nix (home.stateVersion, an enum of the releases the branch knows:
# release-26.05 stops at "26.05", master adds "26.11") and modules/home-environment.nix
# (home.username, home.homeDirectory, home.packages, home.path), read at
# nix-community/home-manager@65258d5c (release-26.05) and @ec1a8fdf (master), 2026-08-22.
# Not modelled: the nixpkgs release check (a warning when branches differ).
{ hmBranch }:
{ config, lib, pkgs, ... }:
let
  types = lib.types;
  releasesUpTo2605 = [
    "18.09"
    "19.03"
    "19.09"
    "20.03"
    "20.09"
    "21.03"
    "21.05"
    "21.11"
    "22.05"
    "22.11"
    "23.05"
    "23.11"
    "24.05"
    "24.11"
    "25.05"
    "25.11"
    "26.05"
  ];
  stateVersions = {
    "release-26.05" = releasesUpTo2605;
    "master" = releasesUpTo2605 ++ [ "26.11" ];
  };
in
{
  options.home = {
    stateVersion = lib.mkOption {
      type = types.enum (stateVersions.${hmBranch} or (throw "stub home-manager: unknown branch ${hmBranch}"));
    };
    # modules/home-environment.nix: `types.str` on release-26.05, `types.nonEmptyStr` on master
    # (the drift test, templates/src/upstream-inputs.test.ts, found the difference)
    username = lib.mkOption { type = if hmBranch == "release-26.05" then types.str else types.nonEmptyStr; };
    homeDirectory = lib.mkOption {
      type = types.path;
      apply = toString;
    };
    packages = lib.mkOption {
      type = types.listOf types.package;
      default = [ ];
    };
    path = lib.mkOption {
      internal = true;
      description = "The derivation installing the user packages.";
    };
  };

  config.home.path = pkgs.buildEnv {
    name = "home-manager-path";
    paths = config.home.packages;
  };
}
