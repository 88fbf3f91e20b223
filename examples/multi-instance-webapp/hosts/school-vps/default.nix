# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# Host "school-vps": values from nixos-stack.json. Customise in ./configuration.nix.
_:
{
  imports = [
    ../../modules/system.nix
    ../../modules/security.nix
    ../../modules/disk.nix
    ../../modules/profiles/vps.nix
    ../../modules/services/school.nix
    ../../modules/secrets.nix
    ./configuration.nix
  ]
  # written by bootstrap.sh (nixos-anywhere --generate-hardware-config); absent until the first install
  ++ (if builtins.pathExists ./hardware-configuration.nix then [ ./hardware-configuration.nix ] else [ ]);

  networking.hostName = "school-vps";
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
    secrets = {
      files = {
        school-class-9a = {
          group = "school";
          owner = "school-class-9a";
        };
        school-class-9b = {
          group = "school";
          owner = "school-class-9b";
        };
        school-class-9c = {
          group = "school";
          owner = "school-class-9c";
        };
        school-class-9d = {
          group = "school";
          owner = "school-class-9d";
        };
      };
    };
    security = {
      autoUpgrade = false;
      sshPort = 2222;
    };
  };

  # this host's node-apps and web-apps: their modules (../../modules/services/) declare these options
  services = {
    school = {
      acme = {
        acceptTerms = true;
        email = "ops@example.org";
        staging = false;
      };
      backup = {
        enable = true;
        location = "/var/backup/postgresql";
        schedule = "*-*-* 01:15:00";
      };
      domain = "school.example.org";
      enable = true;
      instances = {
        class-9a = {
          initDocument = "apps/school/schema.sql";
          port = 8081;
          subdomain = "9a";
        };
        class-9b = {
          initDocument = "apps/school/schema.sql";
          port = 8082;
          subdomain = "9b";
        };
        class-9c = {
          initDocument = "apps/school/schema.sql";
          port = 8083;
          subdomain = "9c";
        };
        class-9d = {
          initDocument = "apps/school/schema.sql";
          port = 8084;
          subdomain = "9d";
        };
      };
      jit = true;
      postgresql = {
        enable = true;
      };
    };
  };
}
