# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# Host "web-1": values from nixos-stack.json. Customise in ./configuration.nix.
_:
{
  imports = [
    ../../modules/system.nix
    ../../modules/security.nix
    ../../modules/disk.nix
    ../../modules/profiles/vps.nix
    ../../modules/services/home-service.nix
    ../../modules/services/monitoring.nix
    ../../modules/services/backup.nix
    ../../modules/tuning.nix
    ../../modules/secrets.nix
    ./configuration.nix
  ]
  # written by bootstrap.sh (nixos-anywhere --generate-hardware-config); absent until the first install
  ++ (if builtins.pathExists ./hardware-configuration.nix then [ ./hardware-configuration.nix ] else [ ]);

  networking.hostName = "web-1";
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
    backup = {
      jobs = {
        backup = {
          compression = "auto,zstd";
          dumps = [ ];
          envSecretsFile = "/etc/monitored-vps/secrets/backup.env";
          exclude = [
            "/var/lib/prometheus2/data/chunks_head"
            "/var/lib/prometheus2/data/wal"
          ];
          keep = {
            daily = 7;
            monthly = 6;
            weekly = 4;
          };
          knownHost = {
            hostNames = [ "[u123456.your-storagebox.de]:23" ];
            publicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIrYq4hvJwDD6uEIasP6WTbzpHjj2qdemXu82irXB3/4";
          };
          paths = [ "/home/bot" "/var/lib/grafana" "/var/lib/prometheus2" ];
          repository = "ssh://u123456@u123456.your-storagebox.de:23/./borg/web-1";
          schedule = "*-*-* 03:15:00";
          sshKey = "/root/.ssh/borg_ed25519";
        };
      };
    };
    disk = {
      device = "/dev/sda";
    };
    homeServices = {
      instances = {
        bot = {
          command = "exec /home/bot/bin/bot --listen 127.0.0.1:8090";
          description = "bot (home-manager user service)";
          port = 8090;
          user = "bot";
        };
      };
    };
    monitoring = {
      instances = {
        monitoring = {
          acmeAcceptTerms = true;
          acmeEmail = "ops@example.com";
          alerting = {
            from = "alerts@example.com";
            receiver = "email";
            requireTls = true;
            smarthost = "smtp.example.com:587";
            to = "ops@example.com";
            username = "alerts@example.com";
          };
          domain = "monitoring.example.com";
          envSecretsFile = "/etc/monitored-vps/secrets/monitoring.env";
          grafanaPort = 3000;
          nodeExporterPort = 9100;
          prometheusPort = 9090;
          retention = "30d";
          scrapeSecrets = [ ];
          scrapeTargets = [ ];
        };
      };
    };
    secrets = {
      files = {
        backup = {
          group = "root";
          owner = "root";
        };
        bot = {
          group = "users";
          owner = "bot";
        };
        monitoring = {
          group = "root";
          owner = "root";
        };
      };
    };
    security = {
      autoUpgrade = true;
      sshPort = 2222;
    };
    tuning = {
      nofile = 65536;
      sysctl = {
        "net.core.somaxconn" = 4096;
        "net.ipv4.ip_local_port_range" = "10240 65535";
        "net.ipv4.tcp_fin_timeout" = 15;
        "net.ipv4.tcp_max_syn_backlog" = 8192;
        "vm.swappiness" = 10;
      };
    };
  };
}
