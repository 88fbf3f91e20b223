# Stands in for lnl7/nix-darwin where a real upstream flake has it as an input (agenix/darwin):
# agenix uses it only for its darwin checks (flake.nix `checks.<darwin>.integration`), which a
# generated repo's `nix flake check` never reads, so an empty flake is enough. nix-darwin is a
# whole OS module tree (not needed for NixOS hosts), so it is not pinned and fetched here.
{
  outputs = _: { };
}
