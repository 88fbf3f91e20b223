# A stand-in for home-manager, for `nix flake check --override-input` on machines without
# network: its NixOS module is the home-manager part of the option surface. The branch is
# the one of the nixpkgs it follows (our flakes pair release-YY.MM with nixos-YY.MM and
# master with nixos-unstable: flakeInputs in templates/src/features/context.ts).
{
  # as the real flake; our flakes make it follow their nixpkgs (the stand-in), so it is never fetched
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs =
    { nixpkgs, ... }:
    let
      hmBranches = {
        "nixos-26.05" = "release-26.05";
        "nixos-unstable" = "master";
      };
      inherit (nixpkgs.stubRelease) branch;
    in
    rec {
      # not in the real flake: the module system forces this stand-in's defaults (stub nixpkgs: nixos-system.nix)
      stubInput = true;
      nixosModules.home-manager = import ./option-surface/nixos-module.nix {
        hmBranch = hmBranches.${branch} or (throw "stub home-manager: no branch pairs with nixpkgs ${branch}");
        # home-manager imports nixpkgs' nixos/modules/misc/assertions.nix into every user (modules/modules.nix)
        assertionsModule = "${nixpkgs}/option-surface/assertions.nix";
      };
      nixosModules.default = nixosModules.home-manager;
    };
}
