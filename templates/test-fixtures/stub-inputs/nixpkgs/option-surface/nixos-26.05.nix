# The NixOS option surface of nixos-26.05 (the default stable branch).
{
  imports = import ./every-branch.nix ++ [
    # extraConfig only: services.journald.settings does not exist on 26.05
    ./journald-26.05.nix
  ];

  # nixos/modules/misc/version.nix: the release is lib.trivial.release of the branch
  system.nixos.release = "26.05";
}
