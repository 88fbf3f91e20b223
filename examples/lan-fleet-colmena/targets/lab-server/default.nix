# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# Target "lab-server" (profile "server"): values from nixos-stack.json.
# Customise in ./configuration.nix.
_:
{
  imports = [
    ../common/base.nix
    ../common/users.nix
    ../../modules/profiles/server.nix
    ./configuration.nix
  ]
  # written by `nixos-generate-config` on the machine (docs/bootstrap.md); absent until then, and
  # the placeholders in ./configuration.nix step aside when it exists
  ++ (if builtins.pathExists ./hardware-configuration.nix then [ ./hardware-configuration.nix ] else [ ]);

  networking.hostName = "lab-server";
  services.openssh.ports = [ 22 ];
  # the release of the first install; never change it afterwards (nixos/modules/misc/version.nix)
  system.stateVersion = "26.05";
}
