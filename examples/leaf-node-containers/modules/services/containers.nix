# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# Declarative nixos-containers (nixos/modules/virtualisation/nixos-containers.nix, reference §7):
# each container has its own network namespace (privateNetwork: a veth pair, ve-<name> on the
# host with `hostAddress`, eth0 in the container with its `address`), state under
# /var/lib/nixos-containers/<name>, and resource limits on its unit container@<name>.service
# (nspawn runs with --keep-unit, so the unit's cgroup is the container's). The host NATs the
# containers to the uplink (networking.nat, nixos/modules/services/networking/nat.nix), exposes
# only 80/443 (and SSH, modules/security.nix) and proxies each public name to its container
# through nginx with an ACME certificate. Containers reach each other by address, routed by
# the host; nothing on the host trusts ve-+ as a whole.
#
# Roles:
# - data: PostgreSQL, Redis (a named server with an explicit port: a named instance defaults to
#   port 0, no TCP listener, nixos/modules/services/databases/redis.nix), NATS with JetStream
#   (nixos/modules/services/networking/nats.nix) and Qdrant (nixos/modules/services/search/qdrant.nix),
#   each bound to the container's address, never 0.0.0.0, and its ports open only to the app
#   containers that use it (nixos-stack.json: `clients`, by default every app container) and
#   the host, not to the whole subnet.
# - app: the user's own command as a hardened system service.
# - monitoring: ./monitoring.nix inside the container, Grafana proxied by the host.
#
# Secrets reach a container as a read-only bind mount of the backend's decrypted file
# (config.stack.secrets.files.<name>.path, see modules/secrets.nix) at /run/stack-secrets/<name>.
# nixos-containers passes each bind mount to systemd-nspawn as --bind-ro=<host path>:<path>, and
# nspawn refuses to start when the host path does not exist (systemd issue 26897), so a secret is
# mounted only when the backend puts its file there (`present`: agenix and sops once its
# encrypted file is in the repo; env-file keeps an empty placeholder until the operator writes
# it). The container starts without its secrets; each service that reads one is skipped, with one
# journal line saying what to create, until it is there (../lib/require-secret.nix).
{ config, lib, pkgs, ... }:
let
  cfg = config.stack.containers;
  hostConfig = config;
  secretsDir = "/run/stack-secrets";
  secretPath = name: hostConfig.stack.secrets.files.${name}.path;
  # the secrets backend of this repo (nixos-stack.json: secrets.backend), for the app start check's advice
  secretsBackend = "agenix";
  # whether the host has the secret's file when the container starts
  secretMounted = c: c.secretFileName != null && hostConfig.stack.secrets.files.${c.secretFileName}.present;
  # the last release's stateVersion of the host: a container is installed with it
  inherit (config.system) stateVersion;
  # the host's tuning (modules/tuning.nix, when the host has any), as far as a container has its
  # own copy of it: the net.* sysctls belong to each network namespace, and the container's
  # systemd is a manager of its own with its own DefaultLimitNOFILE
  tuning = hostConfig.stack.tuning or { };
  netSysctl = lib.filterAttrs (key: _: lib.hasPrefix "net." key) (tuning.sysctl or { });
  nofile = tuning.nofile or null;
  anyRedis = lib.any (c: c.redis != null) (lib.attrValues cfg.instances);

  limitsModule = {
    options = {
      memoryHigh = lib.mkOption {
        type = lib.types.nullOr lib.types.str;
        default = null;
        description = "MemoryHigh= of container@<name>.service (systemd.resource-control(5)).";
      };
      memoryMax = lib.mkOption {
        type = lib.types.nullOr lib.types.str;
        default = null;
        description = "MemoryMax= of container@<name>.service.";
      };
      cpuQuota = lib.mkOption {
        type = lib.types.nullOr lib.types.str;
        default = null;
        description = "CPUQuota= of container@<name>.service (100% is one core).";
      };
    };
  };

  containerModule =
    { name, ... }:
    {
      options = {
        role = lib.mkOption {
          type = lib.types.enum [
            "data"
            "app"
            "monitoring"
          ];
        };
        address = lib.mkOption {
          type = lib.types.str;
          description = "The container's address (localAddress), inside the subnet.";
        };
        autoStart = lib.mkOption {
          type = lib.types.bool;
          default = true;
        };
        limits = lib.mkOption {
          type = lib.types.submodule limitsModule;
          default = { };
        };
        secretFileName = lib.mkOption {
          type = lib.types.nullOr lib.types.str;
          default = null;
          description = "The stack.secrets.files entry bind-mounted read-only into the container.";
        };
        secretHowTo = lib.mkOption {
          type = lib.types.str;
          default = "create the host's stack.secrets.files entry as docs/secrets.md says, then restart the container";
          description = "How the operator creates the secret: the journal line of a service skipped without it.";
        };
        postgresql = lib.mkOption {
          type = lib.types.nullOr lib.types.attrs;
          default = null;
          description = "{ port; databases; settings; } of the data container's PostgreSQL.";
        };
        redis = lib.mkOption {
          type = lib.types.nullOr lib.types.attrs;
          default = null;
          description = "{ port; } of the data container's Redis (services.redis.servers.<name>).";
        };
        nats = lib.mkOption {
          type = lib.types.nullOr lib.types.attrs;
          default = null;
          description = "{ port; maxMemory; maxFile; } of the data container's NATS with JetStream.";
        };
        qdrant = lib.mkOption {
          type = lib.types.nullOr lib.types.attrs;
          default = null;
          description = "{ httpPort; grpcPort; } of the data container's Qdrant.";
        };
        command = lib.mkOption {
          type = lib.types.nullOr lib.types.str;
          default = null;
          description = "An app container's command (ExecStart).";
        };
        port = lib.mkOption {
          type = lib.types.nullOr lib.types.port;
          default = null;
          description = "Where an app container's service listens (PORT), or Grafana's port in a monitoring container.";
        };
        environment = lib.mkOption {
          type = lib.types.attrsOf lib.types.str;
          default = { };
        };
        monitoring = lib.mkOption {
          type = lib.types.nullOr lib.types.attrs;
          default = null;
          description = "A monitoring container's stack.monitoring.instances.<name> values.";
        };
        publicName = lib.mkOption {
          type = lib.types.nullOr lib.types.str;
          default = null;
          description = "The public name the host's nginx serves this container at (ACME certificate).";
        };
        nodeExporterPort = lib.mkOption {
          type = lib.types.port;
          default = 9100;
          description = "The container's node exporter (scraped by the monitoring container).";
        };
        clientAddresses = lib.mkOption {
          type = lib.types.listOf lib.types.str;
          default = [ ];
          description = "The addresses of the app containers a data container's ports are open to (nixos-stack.json: clients).";
        };
      };
    };

  # the NixOS module of one container: shared parts, then its role's services
  containerConfig =
    name: c:
    { pkgs, ... }@container:
    let
      hardening = import ../lib/systemd-hardening.nix { inherit lib; };
      dotenvValue = import ../lib/dotenv-value.nix { inherit pkgs; };
      secretFile = "${secretsDir}/${c.secretFileName}";
      redisPasswordFile = "/run/redis-${name}-password/password";
      # the REDIS_PASSWORD line alone, the environment of Redis' exporter (./container-exporters.nix)
      redisExporterEnv = "/run/redis-${name}-password/exporter.env";
      # NATS' configuration with its authorization, written at each start (below)
      natsRuntimeConfig = "/run/nats/nats.conf";
      # Qdrant's API key as the environment file of qdrant.service (below)
      qdrantKeyEnv = "/run/qdrant-api-key/env";
      # each database's role, whose password is the PG_PASSWORD_<DATABASE> line (below)
      pgRoles = lib.escapeShellArgs c.postgresql.databases;
      pgPort = toString c.postgresql.port;
      # upstream's mkDefault /var/lib/qdrant/snapshots (qdrant.nix)
      qdrantSnapshotsDir = lib.escapeShellArg "${container.config.services.qdrant.settings.storage.snapshots_path}/";
      qdrantSnapshotUrl = lib.escapeShellArg "http://${c.address}:${toString c.qdrant.httpPort}/snapshots?wait=true";
      natsRuntimeTemplate = lib.escapeShellArg "${natsRuntimeConfig}.XXXXXX";
      # the same JSON upstream writes for ExecStart (nats.nix: configFile)
      natsSettingsFile = (pkgs.formats.json { }).generate "nats-settings.json" container.config.services.nats.settings;
      natsOwner = lib.escapeShellArg "${container.config.services.nats.user}:${container.config.services.nats.group}";
      # the ExecCondition= of a unit that reads the secret: skipped, with one journal line, until it is there
      # a data container's ports answer its clients and the host (health-check.sh and the VM
      # test connect from its veth side), nobody else on the subnet: iptables rules in the
      # container's own firewall, after its accepted ports and before its final refusal
      # (nixos/modules/services/networking/firewall-iptables.nix, extraCommands), as the node
      # exporter's below
      dataSources = lib.unique ([ cfg.hostAddress ] ++ c.clientAddresses);
      openTo =
        sources: port:
        lib.concatMapStringsSep "\n" (
          source: "iptables -w -A nixos-fw -p tcp -s ${source} --dport ${toString port} -j nixos-fw-accept"
        ) sources;
      requireSecret =
        unit:
        import ../lib/require-secret.nix { inherit lib pkgs; } {
          file = secretFile;
          inherit unit;
          how = c.secretHowTo;
        };
    in
    {
      imports = [
        ./node-exporter.nix
        ../lib/vm-test-expectations.nix
        # its exporters and what a monitoring container scrapes (./container-metrics.nix)
        ((import ./container-exporters.nix).module {
          inherit name c redisExporterEnv;
          inherit (cfg) scraper scrapeConfigs;
        })
      ]
      ++ lib.optional (c.role == "monitoring") ./monitoring.nix;
      config = lib.mkMerge (
        [
        {
          system.stateVersion = stateVersion;
          # the container's own firewall is on (reference §7): open exactly its services' ports
          networking.firewall.enable = true;
          # its node exporter answers only who reads it: the host (health-check.sh and the VM
          # test connect from its veth side) and the monitoring container's Prometheus, not every
          # container on the subnet (iptables in the container's own firewall, as the data
          # services' exporters: ./container-exporters.nix)
          networking.firewall.extraCommands = openTo (lib.unique (
            [ cfg.hostAddress ] ++ lib.optional (cfg.scraper != null) cfg.scraper
          )) c.nodeExporterPort;
          stack.nodeExporter = {
            enable = true;
            listenAddress = c.address;
            port = c.nodeExporterPort;
          };
          # what the host's VM test waits for in this container (checks/vm-tests.nix)
          stack.vmTest = {
            units = [ "prometheus-node-exporter.service" ];
            ports = [
              {
                inherit (c) address;
                port = c.nodeExporterPort;
              }
            ];
          };
          # The host's boot.kernel.sysctl sets net.* in the host's namespace only. nspawn
          # mounts /proc/sys read-only but /proc/sys/net writable in a private network
          # namespace (systemd-nspawn(1)), and systemd-sysctl.service runs where /proc/sys/net/
          # is writable (ConditionPathIsReadWrite=/proc/sys/net/, systemd units/
          # systemd-sysctl.service.in); a key the namespace lacks (net.core.rmem_max and other
          # global ones) is skipped with a log line, and the host's value holds for it.
          boot.kernel.sysctl = netSysctl;
        }
        (lib.mkIf (c.role == "data") {
          # (Redis, NATS, Qdrant and the roles' passwords read the container's secret: a first
          # boot, without it, skips them; PostgreSQL itself runs)
          stack.vmTest = {
            skippedWithoutSecrets =
              lib.optional (c.postgresql != null && c.postgresql.databases != [ ]) "postgresql-passwords.service"
              ++ lib.optional (c.nats != null) "nats.service"
              ++ lib.optional (c.qdrant != null) "qdrant.service";
            units = lib.optional (c.postgresql != null) "postgresql.service";
            ports = map (port: { inherit (c) address; inherit port; }) (lib.optional (c.postgresql != null) c.postgresql.port);
          };
        })
        (lib.mkIf (nofile != null) {
          # the container's own systemd (systemd-system.conf(5)); bounded by container@<name>'s
          # limit, which is the host's DefaultLimitNOFILE
          systemd.settings.Manager.DefaultLimitNOFILE = nofile;
        })
        (lib.mkIf (c.postgresql != null) {
          services.postgresql = {
            enable = true;
            # pinned, as the web-app kind's: upstream's default follows system.stateVersion, the
            # host's here, so a new container on an adopted older host would get an older major
            # (or, before 22.05, "postgresql_<v> was removed"): nixos/modules/services/databases/postgresql.nix
            package = pkgs.postgresql_17;
            enableTCPIP = true;
            settings = c.postgresql.settings // {
              listen_addresses = lib.mkForce c.address;
              inherit (c.postgresql) port;
            };
            ensureDatabases = c.postgresql.databases;
            ensureUsers = map (db: {
              name = db;
              ensureDBOwnership = true;
            }) c.postgresql.databases;
            # each role reaches its own database from the container's clients (and the host),
            # with a password (scram-sha-256) from the container's secret file: docs/services/containers.md
            authentication = lib.concatMapStrings (
              db: lib.concatMapStrings (source: "host ${db} ${db} ${source}/32 scram-sha-256\n") dataSources
            ) c.postgresql.databases;
          };
          networking.firewall.extraCommands = openTo dataSources c.postgresql.port;
          # A consistent copy for the host's borg job, which starts it (systemctl --machine) right
          # before each archive and leaves the live cluster out: pg_dumpall of roles and every
          # database to /var/backup/postgresql/all.sql.gz, the previous one kept as
          # all.prev.sql.gz (nixos/modules/services/backup/postgresql-backup.nix). No timer of
          # its own: the dump belongs to the archive.
          services.postgresqlBackup = {
            enable = true;
            startAt = [ ];
          };
          # Each database's role gets its password from the PG_PASSWORD_<DATABASE> line of the
          # container's secret file (PG_PASSWORD_GRAPH for the database graph), set at every start
          # once upstream's postgresql-setup.service has created the roles (postgresql.target:
          # nixos/modules/services/databases/postgresql.nix). The statements reach psql, run as
          # the postgres superuser (setpriv, peer authentication over the socket), on stdin,
          # each value a quoted literal ('' for '); they are never in argv or the store, and
          # the session logs no statement. Without the secret file the unit is skipped with one
          # journal line (the roles keep their old password, or none); without a line it fails
          # naming it. scripts/health-check.sh reports a login role without a password.
          systemd.services.postgresql-passwords = lib.mkIf (c.postgresql.databases != [ ]) {
            description = "The roles' passwords from ${secretFile}";
            wantedBy = [ "multi-user.target" ];
            after = [ "postgresql.target" ];
            requires = [ "postgresql.target" ];
            serviceConfig = {
              Type = "oneshot";
              RemainAfterExit = true;
              ExecCondition = requireSecret "postgresql-passwords";
              UMask = "0077";
              ExecStart = lib.getExe (
                pkgs.writeShellApplication {
                  name = "postgresql-passwords";
                  runtimeInputs = [
                    container.config.services.postgresql.package
                    pkgs.util-linux
                    dotenvValue
                  ];
                  text = ''
                    file=${lib.escapeShellArg secretFile}
                    sql="SET log_statement TO 'none';"
                    roles=(${pgRoles})
                    for role in "''${roles[@]}"; do
                      password=$(dotenv-value "PG_PASSWORD_''${role^^}" "$file")
                      # a string literal: ' doubled (standard_conforming_strings: \ is literal)
                      quoted=''${password//\'/\'\'}
                      sql+=$'\n'"ALTER ROLE \"$role\" WITH PASSWORD '$quoted';"
                    done
                    printf '%s\n' "$sql" | setpriv --reuid=postgres --regid=postgres --init-groups -- \
                      psql --no-psqlrc --quiet --set=ON_ERROR_STOP=1 --port=${pgPort} --dbname=postgres
                  '';
                }
              );
            };
          };
        })
        (lib.mkIf (c.redis != null) {
          services.redis.servers.${name} = {
            enable = true;
            inherit (c.redis) port;
            bind = c.address;
            requirePassFile = redisPasswordFile;
          };
          # Every secret file is KEY=value lines (docs/secrets.md), but Redis reads requirePassFile
          # whole (its ExecStartPre appends "requirepass $(cat <file>)": redis.nix). So the
          # REDIS_PASSWORD= line is copied into a file of its own first; without the line or the
          # file this unit fails naming both (dotenv-value), and Redis does not start unprotected.
          # The line itself is copied too, as written, for Redis' exporter: its environment gets
          # REDIS_PASSWORD and none of the file's other credentials.
          systemd.services."redis-${name}-password" = {
            description = "The REDIS_PASSWORD line of ${secretFile}, for redis-${name}";
            serviceConfig = {
              Type = "oneshot";
              RemainAfterExit = true;
              # skipped with Redis, one journal line, while the secret file is missing
              ExecCondition = requireSecret "redis-${name}-password";
              RuntimeDirectory = "redis-${name}-password";
              RuntimeDirectoryMode = "0700";
              UMask = "0077";
              ExecStart = pkgs.writeShellScript "redis-${name}-password" ''
                set -euo pipefail
                ${lib.getExe dotenvValue} REDIS_PASSWORD ${lib.escapeShellArg secretFile} > ${lib.escapeShellArg redisPasswordFile}
                ${pkgs.gnused}/bin/sed -n '/^REDIS_PASSWORD=/p' ${lib.escapeShellArg secretFile} | ${pkgs.coreutils}/bin/tail -n 1 > ${lib.escapeShellArg redisExporterEnv}
              '';
            };
          };
          systemd.services."redis-${name}" = {
            requires = [ "redis-${name}-password.service" ];
            after = [ "redis-${name}-password.service" ];
            # upstream's ExecStartPre reads the password file into redis.conf (redis.nix)
            serviceConfig.ExecCondition = requireSecret "redis-${name}";
          };
          # upstream's default sets vm.overcommit_memory, which a container cannot: /proc/sys/vm
          # is read-only inside it and systemd-sysctl skips the key. The host sets it (below).
          services.redis.vmOverCommit = false;
          networking.firewall.extraCommands = openTo dataSources c.redis.port;
        })
        (lib.mkIf (c.nats != null) {
          services.nats = {
            enable = true;
            jetstream = true;
            inherit (c.nats) port;
            dataDir = "/var/lib/nats";
            # upstream defines settings.jetstream.store_dir = dataDir itself (nats.nix, normal
            # priority: a second value conflicts); NATS keeps its streams under <store_dir>/jetstream
            settings = {
              host = c.address;
              jetstream = {
                max_mem = c.nats.maxMemory;
                max_file = c.nats.maxFile;
              };
            };
          };
          networking.firewall.extraCommands = openTo dataSources c.nats.port;
          # Clients authenticate with the NATS_TOKEN line of the container's secret file
          # (authorization { token }, https://docs.nats.io/running-a-nats-service/configuration/securing_nats/auth_intro/tokens).
          # Upstream writes `settings` to a JSON file in the store (pkgs.formats.json, nats.nix)
          # and runs `nats-server -c <that file>` (its ExecStart, normal priority), and a JSON
          # string cannot refer to a variable, so the token cannot be in the store file. Instead,
          # before each start, a root step ("+": it reads the root-only secret) merges the same
          # settings with the token into /run/nats/nats.conf (jq, the token on stdin, never in
          # argv), checks it with `nats-server -t` (upstream's validateConfig checks only the
          # store file, at build time), and leaves it to the nats user alone (0600); ExecStart is
          # replaced (mkForce: upstream's is a definition of the same priority) to read it.
          # Without the secret file the unit is skipped with one journal line; without the
          # NATS_TOKEN line the step fails naming it, and NATS does not start open.
          systemd.services.nats.serviceConfig = {
            ExecCondition = requireSecret "nats";
            RuntimeDirectory = "nats";
            RuntimeDirectoryMode = "0700";
            ExecStartPre = "+${
              lib.getExe (
                pkgs.writeShellApplication {
                  name = "nats-config";
                  runtimeInputs = [
                    pkgs.coreutils
                    pkgs.jq
                    pkgs.nats-server
                    dotenvValue
                  ];
                  text = ''
                    umask 077
                    token=$(dotenv-value NATS_TOKEN ${lib.escapeShellArg secretFile})
                    tmp=$(mktemp ${natsRuntimeTemplate})
                    trap 'rm -f "$tmp"' EXIT
                    jq --null-input --rawfile token /dev/stdin \
                      --slurpfile settings ${natsSettingsFile} \
                      '$settings[0] * { authorization: { token: ($token | rtrimstr("\n")) } }' <<<"$token" > "$tmp"
                    if ! check=$(nats-server --config "$tmp" -t 2>&1); then
                      echo "nats-config: nats-server refuses the configuration: $check" >&2
                      exit 1
                    fi
                    chown ${natsOwner} "$tmp"
                    mv -f "$tmp" ${lib.escapeShellArg natsRuntimeConfig}
                    trap - EXIT
                  '';
                }
              )
            }";
            ExecStart = lib.mkForce "${lib.getExe' pkgs.nats-server "nats-server"} -c ${natsRuntimeConfig}";
          };
        })
        (lib.mkIf (c.qdrant != null) {
          services.qdrant = {
            enable = true;
            settings.service = {
              host = c.address;
              http_port = c.qdrant.httpPort;
              grpc_port = c.qdrant.grpcPort;
            };
          };
          # the HTTP port also to the watching Prometheus, which reads Qdrant's /metrics there
          networking.firewall.extraCommands = lib.concatStringsSep "\n" [
            (openTo (lib.unique (dataSources ++ lib.optional (cfg.scraper != null) cfg.scraper)) c.qdrant.httpPort)
            (openTo dataSources c.qdrant.grpcPort)
          ];
          # Qdrant's API key is the QDRANT_API_KEY line of the container's secret file (the same
          # name as the monitoring container's line for scraping /metrics). Qdrant reads its
          # settings from QDRANT__-prefixed environment variables too (config crate, qdrant
          # src/settings.rs: QDRANT__SERVICE__API_KEY is service.api_key), and upstream's unit
          # has no EnvironmentFile of its own (qdrant.nix), so a root oneshot writes that one
          # variable to a root-only file that systemd reads for qdrant.service; Qdrant sees no
          # other line of the secret file. systemd reads an EnvironmentFile before the unit's
          # start, not between its commands (systemd.exec(5)), hence a unit of its own rather
          # than an ExecStartPre. Without the secret file both are skipped, one journal line
          # each; without the line the oneshot fails naming it, and Qdrant does not start open.
          systemd.services.qdrant-api-key = {
            description = "The QDRANT_API_KEY line of ${secretFile}, for qdrant";
            serviceConfig = {
              Type = "oneshot";
              RemainAfterExit = true;
              ExecCondition = requireSecret "qdrant-api-key";
              RuntimeDirectory = "qdrant-api-key";
              RuntimeDirectoryMode = "0700";
              UMask = "0077";
              ExecStart = lib.getExe (
                pkgs.writeShellApplication {
                  name = "qdrant-api-key";
                  runtimeInputs = [ dotenvValue ];
                  text = ''
                    file=${lib.escapeShellArg secretFile}
                    key=$(dotenv-value QDRANT_API_KEY "$file")
                    # an environment file line, and an HTTP header value: nothing to quote or escape
                    case "$key" in
                      *[!A-Za-z0-9._~+/=-]*)
                        echo "qdrant-api-key: QDRANT_API_KEY in $file may hold only letters, digits and ._~+/=- (openssl rand -hex 32)" >&2
                        exit 1
                        ;;
                    esac
                    printf 'QDRANT__SERVICE__API_KEY=%s\n' "$key" > ${lib.escapeShellArg qdrantKeyEnv}
                  '';
                }
              );
            };
          };
          systemd.services.qdrant = {
            requires = [ "qdrant-api-key.service" ];
            after = [ "qdrant-api-key.service" ];
            serviceConfig = {
              ExecCondition = requireSecret "qdrant";
              # "-": a missing file does not fail the unit before ExecCondition says what is missing
              EnvironmentFile = "-${qdrantKeyEnv}";
            };
          };
          # A full storage snapshot through Qdrant's API (POST /snapshots, waited for) into its
          # snapshots_path (upstream's mkDefault /var/lib/qdrant/snapshots: qdrant.nix), started
          # by the host's borg job before each archive, which leaves the live storage out. The
          # older snapshots (and their .checksum files) are removed once the new one exists.
          # The api-key header is read by curl from a root-only file (-H @file), never in argv.
          systemd.services.qdrant-snapshot = {
            description = "Full snapshot of Qdrant's storage, for the host's backup";
            requires = [ "qdrant.service" ];
            after = [ "qdrant.service" ];
            serviceConfig = {
              Type = "oneshot";
              ExecCondition = requireSecret "qdrant-snapshot";
              ExecStart = lib.getExe (
                pkgs.writeShellApplication {
                  name = "qdrant-snapshot";
                  runtimeInputs = [
                    pkgs.coreutils
                    pkgs.curl
                    pkgs.findutils
                    dotenvValue
                  ];
                  text = ''
                    umask 077
                    dir=${qdrantSnapshotsDir}
                    key=$(dotenv-value QDRANT_API_KEY ${lib.escapeShellArg secretFile})
                    marker=$(mktemp)
                    header=$(mktemp)
                    trap 'rm -f "$marker" "$header"' EXIT
                    printf 'api-key: %s\n' "$key" > "$header"
                    curl --fail --silent --show-error --max-time 3600 -H @"$header" -X POST ${qdrantSnapshotUrl} > /dev/null
                    find "$dir" -maxdepth 1 -name '*.snapshot*' ! -newer "$marker" -delete
                  '';
                }
              );
            };
          };
        })
        (lib.mkIf (c.role == "app") {
          systemd.services.${name} = {
            description = "${name} (the app container's service)";
            wantedBy = [ "multi-user.target" ];
            after = [ "network-online.target" ];
            wants = [ "network-online.target" ];
            environment = c.environment // lib.optionalAttrs (c.port != null) { PORT = toString c.port; HOST = c.address; };
            serviceConfig =
              hardening { memoryDenyWriteExecute = false; }
              // {
                # systemd expands $VAR and %-specifiers even inside quotes (systemd.service(5),
                # "Command lines"): double them so the shell sees the command as written
                ExecStart = "${lib.getExe pkgs.bash} -c ${
                  lib.replaceStrings [ "$" "%" ] [ "$$" "%%" ] (lib.escapeShellArg ("exec " + c.command))
                }";
                DynamicUser = true;
                StateDirectory = name;
                WorkingDirectory = "/var/lib/${name}";
                Restart = "on-failure";
                RestartSec = 5;
              }
              // lib.optionalAttrs (c.secretFileName != null) {
                # "-": systemd itself does not fail the unit on a missing file; ExecCondition says what is missing
                EnvironmentFile = "-${secretFile}";
                ExecCondition = requireSecret name;
              };
          };
          networking.firewall.allowedTCPPorts = lib.optional (c.port != null) c.port;
        })
      ]
      # only a monitoring container imports ./monitoring.nix, so only it may set stack.monitoring
      ++ lib.optional (c.role == "monitoring") {
          stack.monitoring.instances.${name} = c.monitoring // {
            listenAddress = c.address;
            nginx = false;
            secretsFile = secretFile;
            envSecretsFile = secretFile;
            secretsHowTo = c.secretHowTo;
          };
          # Grafana and Prometheus answer the host only (nginx proxies Grafana; health-check.sh and
          # the VM test connect from the veth side), not the other containers: Prometheus' API has
          # no authentication. Grafana reaches Prometheus inside the container over lo, which the
          # firewall trusts (firewall-iptables.nix).
          networking.firewall.extraCommands = lib.concatMapStringsSep "\n" (openTo [ cfg.hostAddress ]) [
            c.monitoring.grafanaPort
            c.monitoring.prometheusPort
          ];
        }
      );
    };

  publicContainers = lib.filterAttrs (_: c: c.publicName != null) cfg.instances;
  monitoringContainers = lib.filterAttrs (_: c: c.role == "monitoring") cfg.instances;
in
{
  # the host's node exporter, for a monitoring container (deduplicated with monitoring.nix's
  # import), and the containers' resources and scrape jobs
  imports = [
    ./node-exporter.nix
    ./container-metrics.nix
  ];

  options.stack.containers = {
    subnet = lib.mkOption {
      type = lib.types.str;
      description = "The containers' subnet (CIDR).";
    };
    hostAddress = lib.mkOption {
      type = lib.types.str;
      description = "The host's side of every veth pair.";
    };
    externalInterface = lib.mkOption {
      type = lib.types.str;
      description = "The uplink the containers are NATed to.";
    };
    acmeEmail = lib.mkOption {
      type = lib.types.str;
      description = "The ACME account's contact address.";
    };
    # no default: accepting the CA's terms is the operator's answer (nixos-stack.json's acmeAcceptTerms)
    acmeAcceptTerms = lib.mkOption {
      type = lib.types.bool;
      description = "The operator accepts the ACME CA's terms (https://letsencrypt.org/repository/).";
    };
    nodeExporterPort = lib.mkOption {
      type = lib.types.port;
      default = 9100;
      description = "The host's node exporter port, scraped by a monitoring container over ve-<name>.";
    };
    instances = lib.mkOption {
      type = lib.types.attrsOf (lib.types.submodule containerModule);
      default = { };
    };
  };

  config = lib.mkIf (cfg.instances != { }) {
    assertions = [
      {
        assertion = monitoringContainers != { } -> config.networking.firewall.enable;
        message = "stack.containers: the host's node exporter listens on every address and only the firewall keeps it to the monitoring containers' veths; networking.firewall.enable must stay true.";
      }
    ];

    containers = lib.mapAttrs (name: c: {
      inherit (c) autoStart;
      privateNetwork = true;
      # No user namespace: the container's root is the host's root, and its service users are
      # host UIDs. Chosen, not defaulted (upstream's default is "no" too, nixos-containers.nix),
      # because "pick" would break what these containers rely on. nixos-containers passes it as
      # systemd-nspawn --private-users=pick and ID-maps only its own /nix bind mounts (startScript:
      # NIX_BIND_OPT=":idmap"), never `bindMounts` (mkBindFlag), so the secret file, root-owned
      # 0400 on the host, would be owned by an unmapped UID inside (nobody) and unreadable even to
      # the container's root; agenix and sops cannot own it to the picked range either, which
      # nspawn chooses at each start. nspawn would also re-own the container's whole tree
      # (/var/lib/nixos-containers/<name>: databases included) to that range (systemd-nspawn(1),
      # --private-users-ownership=), so a restore from borg must keep those numeric owners, and
      # the host's backup and health check see UIDs that are nobody's. What "no" costs: a process
      # that escapes its container is root (or its service's UID) on the host. Against that the
      # services inside run as their own unprivileged or dynamic users with the sandbox of
      # ../lib/systemd-hardening.nix or upstream's, each container's firewall admits only its
      # clients, and its unit has resource limits. docs/services/containers.md says the same.
      privateUsers = "no";
      inherit (cfg) hostAddress;
      localAddress = c.address;
      bindMounts = lib.optionalAttrs (secretMounted c) {
        "${secretsDir}/${c.secretFileName}" = {
          hostPath = secretPath c.secretFileName;
          isReadOnly = true;
        };
      };
      config = containerConfig name c;
    }) cfg.instances;

    systemd.services = lib.mapAttrs' (
      name: c:
      lib.nameValuePair "container@${name}" {
        serviceConfig = lib.filterAttrs (_: v: v != null) {
          MemoryHigh = c.limits.memoryHigh;
          MemoryMax = c.limits.memoryMax;
          CPUQuota = c.limits.cpuQuota;
        };
      }
    ) (lib.filterAttrs (_: c: c.limits.memoryHigh != null || c.limits.memoryMax != null || c.limits.cpuQuota != null) cfg.instances);

    # Redis' background save forks; with the kernel's heuristic overcommit a large dataset
    # fails to fork (redis.io FAQ; upstream's services.redis.vmOverCommit, redis.nix). The
    # kernel's vm.* settings are global, so the host sets it for the data container.
    boot.kernel.sysctl = lib.mkIf anyRedis { "vm.overcommit_memory" = lib.mkDefault 1; };

    # the VM test (checks/vm-tests.nix): every container runs, with the units its own modules
    # list (each imports ../lib/vm-test-expectations.nix), and the ports they serve at the
    # container's address answer from the host
    stack.vmTest = {
      units = map (name: "container@${name}.service") (lib.attrNames cfg.instances);
      containerUnits = lib.mapAttrs (name: _: config.containers.${name}.config.stack.vmTest.units) cfg.instances;
      containerSkippedWithoutSecrets = lib.mapAttrs (
        name: _: config.containers.${name}.config.stack.vmTest.skippedWithoutSecrets
      ) cfg.instances;
      ports = lib.concatLists (
        lib.mapAttrsToList (
          name: c: lib.filter (p: p.address == c.address) config.containers.${name}.config.stack.vmTest.ports
        ) cfg.instances
      );
    };

    networking.nat = {
      enable = true;
      internalInterfaces = [ "ve-+" ];
      inherit (cfg) externalInterface;
    };

    # the world reaches nginx only; a monitoring container reaches the host's node exporter
    # through its own veth, and nothing else of the host
    networking.firewall.allowedTCPPorts = [
      80
      443
    ];
    networking.firewall.interfaces = lib.mapAttrs' (
      name: _: lib.nameValuePair "ve-${name}" { allowedTCPPorts = [ cfg.nodeExporterPort ]; }
    ) monitoringContainers;
    # hostAddress is configured on each ve-<name> by container@<name>.service, so it exists only
    # while a container runs: an exporter bound to it fails at boot and, with Restart=always,
    # stays failed once the start limit is hit. Bind every address instead; the firewall (on by
    # default, modules/security.nix) opens the port on the monitoring containers' veths only,
    # above, and nowhere else (the exporter's own openFirewall stays false).
    stack.nodeExporter = lib.mkIf (monitoringContainers != { }) {
      enable = true;
      listenAddress = "0.0.0.0";
      port = cfg.nodeExporterPort;
      certificateExpiry = true;
    };

    services.nginx = lib.mkIf (publicContainers != { }) {
      enable = true;
      recommendedProxySettings = true;
      recommendedTlsSettings = true;
      virtualHosts = lib.mapAttrs' (
        _: c:
        lib.nameValuePair c.publicName {
          enableACME = true;
          forceSSL = true;
          locations."/" = {
            proxyPass = "http://${c.address}:${toString c.port}";
            proxyWebsockets = true;
          };
        }
      ) publicContainers;
    };
    # scripts/health-check.sh reads each certificate's expiry with the host's openssl, which a
    # NixOS system does not have on its PATH otherwise
    environment.systemPackages = lib.mkIf (publicContainers != { }) [ pkgs.openssl ];

    security.acme = lib.mkIf (publicContainers != { }) {
      acceptTerms = cfg.acmeAcceptTerms;
      defaults.email = cfg.acmeEmail;
    };
  };
}
