# A stand-in for nixpkgs, for `nix flake check --override-input` on machines without network.
# It provides the few lib functions a generated flake.nix calls, fake packages, and a
# lib.nixosSystem that follows every module's `imports` (so each file must exist, be tracked
# by git, parse and evaluate to a module) without evaluating NixOS itself.
{
  outputs =
    { self }:
    let
      lib = import ./lib.nix;
      fakePackage =
        system: name:
        derivation {
          inherit name system;
          builder = "/bin/sh";
          args = [ "-c" "echo ${name} > $out" ];
        };
      packagesFor = system: {
        stdenv.hostPlatform.system = system;
        mkShell = { packages ? [ ], ... }: (fakePackage system "shell") // { inherit packages; };
        nixfmt-tree = fakePackage system "nixfmt-tree";
        nixos-anywhere = fakePackage system "nixos-anywhere";
        nixos-rebuild-ng = fakePackage system "nixos-rebuild-ng";
        rsync = fakePackage system "rsync";
        openssh = fakePackage system "openssh";
      };
    in
    {
      inherit lib;
      legacyPackages = lib.genAttrs [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ] packagesFor;
    };
}
