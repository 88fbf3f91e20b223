# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# Profile "media": a media box (a TV-attached player or a media server). The GPU drivers for
# hardware video decoding (nixos/modules/hardware/graphics.nix); video and render open the GPU's
# /dev/dri nodes to the primary user and audio the sound card (groups from nixos/modules/misc/ids.nix).
_:
{
  hardware.graphics.enable = true;
  stack.profileGroups = [
    "video"
    "render"
    "audio"
  ];
}
