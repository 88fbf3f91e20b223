# The NixOS option surface of nixos-unstable (the 26.11 pre-release).
{
  imports = import ./every-branch.nix ++ [
    # settings.Journal; extraConfig removed (nixpkgs PR #536538)
    ./journald-unstable.nix
  ];

  # nixos/modules/misc/version.nix: the release is lib.trivial.release of the branch
  system.nixos.release = "26.11";
}
