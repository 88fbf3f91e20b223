# pkgs of the stand-in nixpkgs: every package a template or the surface names is a fake
# derivation (instantiable, never built), plus the few functions our templates call.
# A package missing here fails evaluation with "attribute '<name>' missing": add it to the list.
{ lib }:
system:
let
  hostPlatform = lib.systems.elaborate system;
  fakePackage =
    name:
    derivation {
      inherit name system;
      builder = "/bin/sh";
      args = [
        "-c"
        "echo ${name} > $out"
      ];
    }
    // {
      pname = name;
      meta.mainProgram = name;
    };
  packageNames = [
    "bash"
    "colmena"
    "coreutils"
    "curl"
    "deploy-rs"
    "fish"
    "git"
    "gnused"
    "htop"
    "nixfmt-tree"
    "nixos-anywhere"
    "nixos-rebuild-ng"
    "nodejs"
    "openssh"
    "openssl"
    "rsync"
    "shadow"
    "xonsh"
    "zsh"
  ];
in
lib.genAttrs packageNames fakePackage
// {
  stdenv = {
    inherit hostPlatform;
    buildPlatform = hostPlatform;
  };

  # pkgs/build-support/trivial-builders (writeShellApplication): a package whose bin/<name>
  # runs `text` with `runtimeInputs` on PATH; meta.mainProgram = name, so lib.getExe works
  writeShellApplication =
    {
      name,
      text,
      runtimeInputs ? [ ],
      ...
    }:
    assert lib.isString text;
    assert lib.all lib.isDerivation runtimeInputs;
    fakePackage name;

  # pkgs/build-support/buildenv: one package linking `paths` together
  buildEnv =
    { name, paths, ... }:
    assert lib.all lib.isDerivation paths;
    fakePackage name;

  # pkgs/build-support/mkshell: a derivation; `packages` must be packages
  mkShell =
    {
      packages ? [ ],
      ...
    }:
    assert lib.all lib.isDerivation packages;
    fakePackage "nix-shell" // { inherit packages; };
}
