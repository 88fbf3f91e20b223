"nixos-26.05"
