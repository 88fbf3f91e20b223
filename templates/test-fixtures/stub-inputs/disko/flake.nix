# A stand-in for disko, for `nix flake check --override-input` on machines without network:
# its NixOS module is the disko part of the option surface (./option-surface/disko.nix).
{
  # as the real flake; our flakes make it follow their nixpkgs, so it is never fetched
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixpkgs-unstable";

  outputs = _: rec {
    nixosModules.disko = ./option-surface/disko.nix;
    nixosModules.default = nixosModules.disko;
  };
}
