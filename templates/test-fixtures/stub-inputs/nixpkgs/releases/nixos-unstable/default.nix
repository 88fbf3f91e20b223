"nixos-unstable"
