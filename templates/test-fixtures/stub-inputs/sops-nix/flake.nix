# A stand-in for sops-nix, for `nix flake check --override-input` on machines without network:
# its NixOS module is the sops-nix part of the option surface (./option-surface/sops.nix).
{
  # as the real flake (Mic92/sops-nix flake.nix); our flakes make it follow their nixpkgs, so it is never fetched
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixpkgs-unstable";

  outputs = _: rec {
    nixosModules.sops = ./option-surface/sops.nix;
    nixosModules.default = nixosModules.sops;
  };
}
