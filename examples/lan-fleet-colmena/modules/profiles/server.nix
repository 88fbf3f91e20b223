# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# Profile "server": a headless machine on the LAN (a lab server). Nothing beyond
# targets/common/base.nix: services are yours to add in targets/<name>/configuration.nix.
_:
{
  stack.profileGroups = [ ];
}
