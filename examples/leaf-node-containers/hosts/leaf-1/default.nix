# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# Host "leaf-1": values from nixos-stack.json. Customise in ./configuration.nix.
_:
{
  imports = [
    ../../modules/system.nix
    ../../modules/security.nix
    ../../modules/disk.nix
    ../../modules/profiles/vps.nix
    ../../modules/services/containers.nix
    ../../modules/services/backup.nix
    ../../modules/tuning.nix
    ../../modules/secrets.nix
    ./configuration.nix
  ]
  # written by bootstrap.sh (nixos-anywhere --generate-hardware-config); absent until the first install
  ++ (if builtins.pathExists ./hardware-configuration.nix then [ ./hardware-configuration.nix ] else [ ]);

  networking.hostName = "leaf-1";
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
          dumps = [
            {
              machine = "data";
              unit = "postgresqlBackup.service";
            }
            {
              machine = "data";
              unit = "qdrant-snapshot.service";
            }
          ];
          envSecretsFile = "/etc/leaf-node-containers/secrets/backup.env";
          exclude = [
            "/var/lib/nixos-containers/data/var/lib/postgresql"
            "/var/lib/nixos-containers/data/var/lib/private/qdrant/storage"
            "/var/lib/nixos-containers/monitoring/var/lib/prometheus2/data/chunks_head"
            "/var/lib/nixos-containers/monitoring/var/lib/prometheus2/data/wal"
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
          paths = [
            "/var/lib/nixos-containers/agent"
            "/var/lib/nixos-containers/data"
            "/var/lib/nixos-containers/graph"
            "/var/lib/nixos-containers/monitoring"
            "/var/lib/nixos-containers/workflow"
          ];
          repository = "ssh://u123456@u123456.your-storagebox.de:23/./borg/leaf-1";
          schedule = "*-*-* 03:15:00";
          sshKey = "/root/.ssh/borg_ed25519";
        };
      };
    };
    containers = {
      acmeAcceptTerms = true;
      acmeEmail = "ops@example.com";
      externalInterface = "ens3";
      hostAddress = "10.233.1.1";
      instances = {
        agent = {
          address = "10.233.1.5";
          autoStart = true;
          command = "/var/lib/agent/current/bin/agent";
          environment = {
            DATABASE_HOST = "10.233.1.2";
            DATABASE_NAME = "agent";
            NATS_URL = "nats://10.233.1.2:4222";
            REDIS_HOST = "10.233.1.2";
          };
          limits = {
            cpuQuota = "100%";
            memoryHigh = null;
            memoryMax = "2G";
          };
          nodeExporterPort = 9100;
          port = 8082;
          publicName = "agent.example.com";
          role = "app";
          secretFileName = "containers-agent";
          secretHowTo = "in the repo: cd secrets && agenix -e containers-agent.age, git add secrets/containers-agent.age, then deploy (docs/secrets.md); the container restarts with it";
        };
        data = {
          address = "10.233.1.2";
          autoStart = true;
          clientAddresses = [ "10.233.1.3" "10.233.1.4" "10.233.1.5" ];
          limits = {
            cpuQuota = "300%";
            memoryHigh = "6G";
            memoryMax = "8G";
          };
          nats = {
            maxFile = "20G";
            maxMemory = "512M";
            port = 4222;
          };
          nodeExporterPort = 9100;
          postgresql = {
            databases = [ "graph" "workflow" "agent" ];
            port = 5432;
            settings = {
              max_connections = 200;
              shared_buffers = "2GB";
            };
          };
          publicName = null;
          qdrant = {
            grpcPort = 6334;
            httpPort = 6333;
          };
          redis = {
            port = 6379;
          };
          role = "data";
          secretFileName = "containers-data";
          secretHowTo = "in the repo: cd secrets && agenix -e containers-data.age, git add secrets/containers-data.age, then deploy (docs/secrets.md); the container restarts with it";
        };
        graph = {
          address = "10.233.1.3";
          autoStart = true;
          command = "/var/lib/graph/current/bin/graph-server";
          environment = {
            DATABASE_HOST = "10.233.1.2";
            DATABASE_NAME = "graph";
            QDRANT_URL = "http://10.233.1.2:6333";
          };
          limits = {
            cpuQuota = "100%";
            memoryHigh = null;
            memoryMax = "2G";
          };
          nodeExporterPort = 9100;
          port = 8080;
          publicName = "graph.example.com";
          role = "app";
          secretFileName = "containers-graph";
          secretHowTo = "in the repo: cd secrets && agenix -e containers-graph.age, git add secrets/containers-graph.age, then deploy (docs/secrets.md); the container restarts with it";
        };
        monitoring = {
          address = "10.233.1.9";
          autoStart = true;
          limits = {
            cpuQuota = "100%";
            memoryHigh = null;
            memoryMax = "2G";
          };
          monitoring = {
            acmeAcceptTerms = true;
            acmeEmail = "ops@example.com";
            alerting = {
              receiver = "webhook";
            };
            domain = "monitoring.example.com";
            grafanaPort = 3000;
            nodeExporterPort = 9100;
            prometheusPort = 9090;
            retention = "30d";
            scrapeSecrets = [
              {
                file = "qdrant_api_key";
                key = "QDRANT_API_KEY";
              }
            ];
            scrapeTargets = [ "10.233.1.1:9100" ];
          };
          nodeExporterPort = 9100;
          port = 3000;
          publicName = "monitoring.example.com";
          role = "monitoring";
          secretFileName = "containers-monitoring";
          secretHowTo = "in the repo: cd secrets && agenix -e containers-monitoring.age, git add secrets/containers-monitoring.age, then deploy (docs/secrets.md); the container restarts with it";
        };
        workflow = {
          address = "10.233.1.4";
          autoStart = true;
          command = "/var/lib/workflow/current/bin/workflow-worker";
          environment = {
            DATABASE_HOST = "10.233.1.2";
            DATABASE_NAME = "workflow";
            NATS_URL = "nats://10.233.1.2:4222";
          };
          limits = {
            cpuQuota = "100%";
            memoryHigh = null;
            memoryMax = "2G";
          };
          nodeExporterPort = 9100;
          port = 8081;
          publicName = "workflow.example.com";
          role = "app";
          secretFileName = "containers-workflow";
          secretHowTo = "in the repo: cd secrets && agenix -e containers-workflow.age, git add secrets/containers-workflow.age, then deploy (docs/secrets.md); the container restarts with it";
        };
      };
      nodeExporterPort = 9100;
      subnet = "10.233.1.0/24";
    };
    disk = {
      device = "/dev/sda";
    };
    secrets = {
      files = {
        backup = {
          group = "root";
          owner = "root";
        };
        containers-agent = {
          group = "root";
          owner = "root";
        };
        containers-data = {
          group = "root";
          owner = "root";
        };
        containers-graph = {
          group = "root";
          owner = "root";
        };
        containers-monitoring = {
          group = "root";
          owner = "root";
        };
        containers-workflow = {
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
        "net.ipv4.tcp_max_syn_backlog" = 8192;
        "vm.swappiness" = 10;
      };
    };
  };
}
