# lib.nixosSystem of the stand-in nixpkgs: the real lib.evalModules (class "nixos", as
# nixos/lib/eval-config.nix calls it) over the option surface of one branch and the host's
# modules. `modulesPath` points to ./modules, which holds the profiles our templates import.
{ lib, branch }:
{
  modules,
  specialArgs ? { },
  ...
}:
let
  surfaces = {
    "nixos-26.05" = ./option-surface/nixos-26.05.nix;
    "nixos-unstable" = ./option-surface/nixos-unstable.nix;
  };
in
lib.evalModules {
  class = "nixos";
  specialArgs = {
    modulesPath = toString ./modules;
    # not upstream: which branch's fake packages ./option-surface/nixpkgs.nix builds
    stubBranch = branch;
  }
  // specialArgs;
  modules = [
    (surfaces.${branch} or (throw "stub nixpkgs: no option surface for branch ${branch}"))
  ]
  ++ modules;
}
