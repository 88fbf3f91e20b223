# Where nixpkgs keeps nixos/modules/misc/assertions.nix (the fake package set's `path` is the
# stand-in nixpkgs, ../../../fake-packages.nix): home-manager's modules/modules.nix imports
# `pkgs.path + "/nixos/modules/misc/assertions.nix"` into every user. The surface's copy of its
# interface: ../../../option-surface/assertions.nix.
import ../../../option-surface/assertions.nix
