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
let
  # the trees whose options' defaults toplevel forces (./option-surface/top-level.nix): this
  # stand-in, the generated repo (`inputs.self`, which our flakes pass as a specialArg) and every
  # other stand-in flake (they say so with `stubInput = true`). The modules of a real upstream
  # flake (a pinned disko, agenix, …) are evaluated only as far as the system reads them, as in
  # a real evaluation; what our modules define for them is still forced.
  inputs = specialArgs.inputs or { };
  ownTrees =
    if inputs ? self then
      [ (toString ./.) (toString inputs.self.outPath) ]
      ++ lib.mapAttrsToList (_: input: toString input.outPath) (lib.filterAttrs (_: input: input.stubInput or false) inputs)
    else
      null;
in
lib.evalModules {
  class = "nixos";
  specialArgs = {
    modulesPath = toString ./modules;
    # not upstream: which branch's fake packages ./option-surface/nixpkgs.nix builds
    stubBranch = branch;
    stubOwnTrees = ownTrees;
  }
  // specialArgs;
  modules = [
    (surfaces.${branch} or (throw "stub nixpkgs: no option surface for branch ${branch}"))
  ]
  ++ modules;
}
