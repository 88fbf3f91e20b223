# nixos/modules/misc/nixpkgs.nix (Swarsel/nixpkgs@4aa6836a): nixpkgs.hostPlatform, a system
# string or attrs, elaborated by `apply`; `pkgs` is built for it. Here `pkgs` is the set of
# fake packages of ../fake-packages.nix, for the branch being evaluated (../nixos-system.nix
# passes it as the special argument stubBranch).
{
  config,
  lib,
  stubBranch,
  ...
}:
{
  options.nixpkgs.hostPlatform = lib.mkOption {
    type = lib.types.either lib.types.str lib.types.attrs;
    apply = lib.systems.elaborate;
    example = {
      system = "aarch64-linux";
    };
  };

  config._module.args.pkgs = import ../fake-packages.nix {
    inherit lib;
    branch = stubBranch;
  } config.nixpkgs.hostPlatform.system;
}
