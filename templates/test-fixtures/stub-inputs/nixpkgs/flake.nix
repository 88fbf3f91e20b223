# A stand-in for nixpkgs, for `nix flake check --override-input` on machines without network.
# `lib` is the real nixpkgs lib; `lib.nixosSystem` runs the real `lib.evalModules` over the
# host's modules plus the option surface of one branch (./option-surface): every NixOS option
# our templates set or read, with upstream's type, default and assertions. `_module.check`
# stays on, so an option the surface does not declare fails the check. Packages are fakes.
{
  inputs = {
    # the lib-only mirror of nixpkgs, at the commit pinned in templates/pins/upstream-inputs.json;
    # tests override it with NIXPKGS_LIB or that pin's store path (builtins.fetchTarball with its
    # hash, which Nix takes from the store without a download when scripts/seed-nix-inputs.sh put it there)
    nixpkgs-lib.url = "github:nix-community/nixpkgs.lib/de42d44212d207476489bce163375d8306a26d59";
    # which branch's option surface to evaluate against: tests override it with
    # ./releases/nixos-unstable (--override-input nixpkgs/release path:…)
    release = {
      url = "path:./releases/nixos-26.05";
      flake = false;
    };
  };

  outputs =
    { nixpkgs-lib, release, ... }:
    let
      branch = import release;
      lib = nixpkgs-lib.lib.extend (
        final: _: {
          nixosSystem = import ./nixos-system.nix {
            lib = final;
            inherit branch;
          };
        }
      );
      fakePackages = import ./fake-packages.nix { inherit lib branch; };
    in
    {
      inherit lib;
      legacyPackages = lib.genAttrs lib.systems.flakeExposed fakePackages;
      # not in the real nixpkgs: the stand-in for home-manager reads the branch from here,
      # since our flakes pair home-manager's branch with nixpkgs' (flakeInputs in templates/src/features/context.ts)
      stubRelease = { inherit branch; };
    };
}
