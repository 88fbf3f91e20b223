# A stand-in for agenix, for `nix flake check --override-input` on machines without network:
# its NixOS module is the agenix part of the option surface (./option-surface/age.nix).
{
  # as the real flake (ryantm/agenix flake.nix); our flakes make these follow theirs, so they are never fetched
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
  inputs.home-manager.url = "github:nix-community/home-manager";
  inputs.home-manager.inputs.nixpkgs.follows = "nixpkgs";

  outputs = _: rec {
    nixosModules.age = ./option-surface/age.nix;
    nixosModules.default = nixosModules.age;
  };
}
