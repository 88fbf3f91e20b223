# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# Host "vps-x86": values from nixos-stack.json. Customise in ./configuration.nix.
_:
{
  imports = [
    ../../modules/system.nix
    ../../modules/security.nix
    ../../modules/disk.nix
    ../../modules/profiles/vps.nix
    ../../modules/services/gateway.nix
    ./configuration.nix
  ]
  # written by bootstrap.sh (nixos-anywhere --generate-hardware-config); absent until the first install
  ++ (if builtins.pathExists ./hardware-configuration.nix then [ ./hardware-configuration.nix ] else [ ]);

  networking.hostName = "vps-x86";
  time.timeZone = "UTC";
  i18n.defaultLocale = "en_US.UTF-8";
  # the release of the first install; never change it afterwards (nixos/modules/misc/version.nix)
  system.stateVersion = "26.05";

  stack = {
    admins = {
      admin = {
        sshKeys = [
          "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u example-operator@nixos-stack"
        ];
      };
    };
    disk = {
      device = "/dev/sda";
    };
    gateway = {
      instances = {
        gateway = {
          port = 18789;
          user = "gateway";
        };
      };
    };
    security = {
      autoUpgrade = true;
      sshPort = 2222;
    };
  };
}
