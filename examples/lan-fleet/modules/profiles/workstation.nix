# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# Profile "workstation": a desktop or laptop someone sits at. NetworkManager manages Wi-Fi and
# wired links; its group lets the primary user change connections
# (nixos/modules/services/networking/networkmanager.nix). audio and video give direct access
# to sound and camera devices (groups from nixos/modules/misc/ids.nix).
_:
{
  networking.networkmanager.enable = true;
  stack.profileGroups = [
    "networkmanager"
    "audio"
    "video"
  ];
}
