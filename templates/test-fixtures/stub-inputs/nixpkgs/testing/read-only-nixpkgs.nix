# nixos/modules/misc/nixpkgs/read-only.nix (NixOS/nixpkgs@196f6a81), which runNixOSTest's
# node.pkgs imports into every node (nixos/lib/testing/nodes.nix: defaults, when
# node.pkgsReadOnly): it disables the nixpkgs module, takes `pkgs` from nixpkgs.pkgs and declares
# nixpkgs.hostPlatform readOnly, defined from pkgs' platform, so a node that sets it again fails
# ("The option `nixpkgs.hostPlatform' is read-only, but it's set multiple times").
{ config, lib, ... }:
{
  disabledModules = [ ../option-surface/nixpkgs.nix ];

  options.nixpkgs = {
    pkgs = lib.mkOption { type = lib.types.attrs; };
    hostPlatform = lib.mkOption {
      internal = true;
      readOnly = true;
    };
  };

  config = {
    _module.args.pkgs = config.nixpkgs.pkgs;
    nixpkgs.hostPlatform = config.nixpkgs.pkgs.stdenv.hostPlatform;
  };
}
