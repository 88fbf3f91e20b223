# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# services.school: one backend program run as N instances on this host, each with its own
# hardened systemd service, nginx virtual host <subdomain>.<domain> with an ACME certificate,
# PostgreSQL database and role, and secrets file; one static frontend shared by all of them.
# Docs: docs/services/school.md. The values come from the host's default.nix
# (nixos-stack.json); override them in its configuration.nix.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  app = "school";
  cfg = config.services.${app};
  pg = config.services.postgresql;
  osConfig = config;

  hardening = import ../lib/systemd-hardening.nix { inherit lib; };
  # EnvironmentFile "-" and an ExecCondition that skips an instance's start with a clear
  # journal line while its secrets file is missing: see ../lib/require-env-file.nix
  requireEnvFile = import ../lib/require-env-file.nix { inherit lib pkgs; };
  # the secrets backend of this repo (nixos-stack.json: secrets.backend), for that line's advice
  secretsBackend = "agenix";

  instanceModule =
    { name, config, ... }:
    {
      options = {
        port = lib.mkOption {
          type = lib.types.port;
          description = "The port the instance listens on, on 127.0.0.1 (nginx proxies to it).";
        };
        subdomain = lib.mkOption {
          type = lib.types.str;
          description = "Served at <subdomain>.<domain>.";
        };
        user = lib.mkOption {
          type = lib.types.str;
          default = "${app}-${name}";
          defaultText = lib.literalExpression ''"<app>-<instance>"'';
          description = "The instance's system user; also its PostgreSQL role and database (peer authentication maps a Unix user to the role of its name, and ensureDBOwnership gives the database of that name to it).";
        };
        group = lib.mkOption {
          type = lib.types.str;
          default = app;
          defaultText = lib.literalExpression "<app>";
          description = "The instance's group (shared by the app's instances).";
        };
        database = lib.mkOption {
          type = lib.types.str;
          readOnly = true;
          default = config.user;
          defaultText = lib.literalExpression "user";
          description = "The instance's database: its user's name (read-only; see user).";
        };
        secretsFile = lib.mkOption {
          type = lib.types.nullOr lib.types.str;
          default = osConfig.stack.secrets.files."${app}-${name}".path or null;
          defaultText = lib.literalExpression ''config.stack.secrets.files."<app>-<instance>".path'';
          description = "KEY=value lines with the instance's secrets, read by systemd at start (outside the Nix store); null: none.";
        };
        initDocument = lib.mkOption {
          type = lib.types.nullOr (lib.types.strMatching "[A-Za-z0-9._/-]+[.]sql");
          default = null;
          example = "apps/school/schema.sql";
          description = "An SQL file of this repo (relative to its root) loaded into the database before a start, only while the database has no tables.";
        };
        extraArgs = lib.mkOption {
          type = lib.types.listOf lib.types.str;
          default = [ ];
          description = "More command-line arguments of the instance.";
        };
        environment = lib.mkOption {
          type = lib.types.attrsOf lib.types.str;
          default = { };
          description = "More environment variables (never secrets: they reach the Nix store; use secretsFile).";
        };
      };
    };

  instances = lib.attrValues (lib.mapAttrs (n: i: i // { name = n; }) cfg.instances);
  unitName = inst: "${app}-${inst.name}";

  # names that two instances share, for the assertions: "port 8081: class-9a, class-9b"
  clashes =
    field:
    lib.concatStringsSep "; " (
      lib.mapAttrsToList (value: insts: "${field} ${value}: ${lib.concatStringsSep ", " insts}") (
        lib.filterAttrs (_: insts: lib.length insts > 1) (
          lib.foldl' (acc: inst: acc // { ${toString inst.${field}} = (acc.${toString inst.${field}} or [ ]) ++ [ inst.name ]; }) { } instances
        )
      )
    );

  # Loads initDocument while the database has no tables in its public schema; runs as the
  # instance user over the PostgreSQL socket (peer authentication), before each start.
  initScript =
    inst:
    let
      # the file, copied into the store with the configuration (path + string is a path)
      document = ../.. + "/${inst.initDocument}";
    in
    pkgs.writeShellScript "${unitName inst}-init-db" ''
      set -euo pipefail
      psql=(${pg.package}/bin/psql --no-psqlrc --set=ON_ERROR_STOP=1 --host=/run/postgresql --dbname=${lib.escapeShellArg inst.database})
      tables=$("''${psql[@]}" --tuples-only --no-align --command="select count(*) from information_schema.tables where table_schema = 'public'")
      if [ "$tables" = 0 ]; then
        echo "${unitName inst}: the database is empty: loading ${inst.initDocument}"
        "''${psql[@]}" --single-transaction --file=${document}
      fi
    '';
in
{
  options.services.${app} = {
    enable = lib.mkEnableOption "the ${app} web app and its instances";

    package = lib.mkOption {
      type = lib.types.package;
      default = pkgs.callPackage ../../pkgs/school { };
      defaultText = lib.literalExpression "pkgs.callPackage ../../pkgs/${app} { }";
      description = "The backend: its main program is run once per instance (PORT, HOST, INSTANCE and DATABASE_URL in its environment).";
    };

    jit = lib.mkOption {
      type = lib.types.bool;
      # the placeholder backend is Node.js (pkgs/${app}/default.nix)
      default = true;
      description = "The backend runs on a JIT runtime (Node.js, Deno, Bun, the JVM, .NET): its units allow writable+executable memory (MemoryDenyWriteExecute off, which V8 needs) and the system calls a JIT calls (@pkey, @chown; modules/lib/systemd-hardening.nix). false for a compiled program (Go, Rust, C) keeps MemoryDenyWriteExecute on.";
    };

    frontend = lib.mkOption {
      # a directory of this repo, or a package (a built frontend: its files at its root)
      type = lib.types.path;
      default = ../../pkgs/school/frontend;
      defaultText = lib.literalExpression "../../pkgs/${app}/frontend";
      description = "The static frontend shared by every instance: a directory or a package, copied into the Nix store.";
    };

    staticDir = lib.mkOption {
      type = lib.types.str;
      default = "/var/lib/${app}/static";
      description = "Where the frontend is installed once for all instances (a link into the Nix store, renewed on every activation); nginx serves it.";
    };

    domain = lib.mkOption {
      type = lib.types.str;
      description = "Each instance is served at <subdomain>.<domain>.";
    };

    nginx.enable = lib.mkOption {
      type = lib.types.bool;
      default = true;
      description = "An nginx virtual host per instance, with TLS.";
    };

    acme = {
      email = lib.mkOption {
        type = lib.types.str;
        description = "The ACME (Let's Encrypt) account's contact address.";
      };
      # no default: accepting the CA's terms is the operator's answer (nixos-stack.json's
      # acmeAcceptTerms), and nixos/modules/security/acme/default.nix refuses certificates without it
      acceptTerms = lib.mkOption {
        type = lib.types.bool;
        description = "The operator accepts the CA's terms of service (https://letsencrypt.org/repository/); ACME cannot work without.";
      };
      staging = lib.mkOption {
        type = lib.types.bool;
        default = false;
        description = "Use Let's Encrypt's staging CA (untrusted certificates, high rate limits) while trying things out.";
      };
    };

    postgresql = {
      enable = lib.mkOption {
        type = lib.types.bool;
        default = true;
        description = "A PostgreSQL database and role per instance on this host.";
      };
      package = lib.mkOption {
        type = lib.types.package;
        # pinned rather than taken from system.stateVersion's default, so a release upgrade never
        # silently wants a major-version migration (nixos/modules/services/databases/postgresql.nix)
        default = pkgs.postgresql_17;
        defaultText = lib.literalExpression "pkgs.postgresql_17";
        description = "The PostgreSQL server (a major upgrade needs a dump and restore: docs/services/${app}.md).";
      };
    };

    backup = {
      enable = lib.mkOption {
        type = lib.types.bool;
        default = true;
        description = "Dump every instance database with services.postgresqlBackup.";
      };
      schedule = lib.mkOption {
        type = lib.types.str;
        default = "*-*-* 01:15:00";
        description = "When (systemd.time(7) calendar event).";
      };
      location = lib.mkOption {
        type = lib.types.str;
        default = "/var/backup/postgresql";
        description = "Where the dumps go: <database>.sql.gz, the one before as <database>.prev.sql.gz.";
      };
    };

    instances = lib.mkOption {
      type = lib.types.attrsOf (lib.types.submodule instanceModule);
      default = { };
      description = "The instances, by name.";
    };
  };

  config = lib.mkIf cfg.enable (
    lib.mkMerge [
      {
        assertions = [
          {
            assertion = clashes "port" == "";
            message = "services.${app}.instances: two instances listen on one port (${clashes "port"}): give each its own.";
          }
          {
            assertion = clashes "subdomain" == "";
            message = "services.${app}.instances: two instances share a subdomain (${clashes "subdomain"}): give each its own.";
          }
          {
            assertion = clashes "user" == "";
            message = "services.${app}.instances: two instances share a user and database (${clashes "user"}): give each its own.";
          }
          {
            assertion = lib.all (inst: inst.initDocument == null || builtins.pathExists (../.. + "/${inst.initDocument}")) instances;
            message = "services.${app}.instances: initDocument names a file this repo does not have (${
              lib.concatMapStringsSep ", " (inst: "${inst.name}: ${inst.initDocument}") (
                lib.filter (inst: inst.initDocument != null && !builtins.pathExists (../.. + "/${inst.initDocument}")) instances
              )
            }): add it (and `git add` it: a flake sees tracked files only), or unset initDocument.";
          }
          {
            assertion = cfg.backup.enable -> cfg.postgresql.enable;
            message = "services.${app}.backup.enable dumps the instances' PostgreSQL databases: it needs services.${app}.postgresql.enable.";
          }
        ];

        users.groups.${app} = { };
        users.users = lib.listToAttrs (
          map (
            inst:
            lib.nameValuePair inst.user {
              isSystemUser = true;
              inherit (inst) group;
              description = "${app} instance ${inst.name}";
            }
          ) instances
        );

        # the shared frontend, installed once: a link into the store, renewed on every activation
        # (tmpfiles "L+": replace; nixos/modules/system/boot/systemd/tmpfiles.nix)
        systemd.tmpfiles.rules = [
          "d ${builtins.dirOf cfg.staticDir} 0755 root root - -"
          "L+ ${cfg.staticDir} - - - - ${cfg.frontend}"
        ];

        systemd.services = lib.listToAttrs (
          map (
            inst:
            lib.nameValuePair (unitName inst) {
              description = "${app} instance ${inst.name} (127.0.0.1:${toString inst.port})";
              wantedBy = [ "multi-user.target" ];
              # postgresql.target: the server runs and ensureDatabases/ensureUsers are done
              # (postgresql-setup.service; nixos/modules/services/databases/postgresql.nix)
              after = [ "network.target" ] ++ lib.optional cfg.postgresql.enable "postgresql.target";
              requires = lib.optional cfg.postgresql.enable "postgresql.target";
              environment = {
                HOST = "127.0.0.1";
                PORT = toString inst.port;
                INSTANCE = inst.name;
                STATIC_DIR = cfg.staticDir;
              }
              // lib.optionalAttrs cfg.postgresql.enable {
                # libpq: the socket directory as host, peer authentication as the instance user
                DATABASE_URL = "postgresql:///${inst.database}?host=/run/postgresql";
                PGHOST = "/run/postgresql";
                PGDATABASE = inst.database;
              }
              // inst.environment;
              serviceConfig =
                # the unit talks to PostgreSQL over its Unix socket: AF_UNIX on; a JIT backend
                # (the Node.js placeholder) needs writable+executable memory and @pkey/@chown
                hardening {
                  unixSockets = cfg.postgresql.enable;
                  inherit (cfg) jit;
                }
                // {
                  User = inst.user;
                  Group = inst.group;
                  ExecStart = lib.escapeShellArgs ([ (lib.getExe cfg.package) ] ++ inst.extraArgs);
                  Restart = "always";
                  RestartSec = 10;
                  StateDirectory = "${app}/${inst.name}";
                  StateDirectoryMode = "0700";
                  WorkingDirectory = "/var/lib/${app}/${inst.name}";
                }
                // lib.optionalAttrs (inst.secretsFile != null) (requireEnvFile {
                  file = inst.secretsFile;
                  unit = unitName inst;
                  secret = "${app}-${inst.name}";
                  backend = secretsBackend;
                  docs = "docs/services/${app}.md";
                })
                // lib.optionalAttrs (cfg.postgresql.enable && inst.initDocument != null) {
                  ExecStartPre = "${initScript inst}";
                };
            }
          ) instances
        );
      }

      (lib.mkIf cfg.postgresql.enable {
        services.postgresql = {
          enable = true;
          package = cfg.postgresql.package;
          # one database and one role of the same name per instance: ensureDBOwnership needs the
          # database named like the role (reference §9; the assertion in postgresql.nix)
          ensureDatabases = map (inst: inst.database) instances;
          ensureUsers = map (inst: {
            name = inst.user;
            ensureDBOwnership = true;
          }) instances;
        };
      })

      (lib.mkIf (cfg.postgresql.enable && cfg.backup.enable) {
        services.postgresqlBackup = {
          enable = true;
          databases = map (inst: inst.database) instances;
          startAt = cfg.backup.schedule;
          inherit (cfg.backup) location;
        };
      })

      (lib.mkIf cfg.nginx.enable {
        services.nginx = {
          enable = true;
          # Host, X-Real-IP, X-Forwarded-For, X-Forwarded-Proto (and more) on every proxied request
          recommendedProxySettings = true;
          recommendedTlsSettings = true;
          virtualHosts = lib.listToAttrs (
            map (
              inst:
              lib.nameValuePair "${inst.subdomain}.${cfg.domain}" {
                enableACME = true;
                forceSSL = true;
                # the shared frontend's files first, everything else to this instance's backend
                locations."/" = {
                  root = cfg.staticDir;
                  tryFiles = "$uri @backend";
                  # ...and every WebSocket handshake to the backend, whatever its path: try_files
                  # alone answers a handshake at any path the frontend has a file for (/index.html,
                  # /app.js) with that file, so a socket there would never reach the app. (`/` itself
                  # reaches the backend: `$uri` tests for a file, and / is a directory.)
                  # `return` is one of the two directives nginx calls safe inside a location's `if`
                  # (nginx wiki, "If is Evil"); `error_page … =` passes on the backend's own status
                  # (101 Switching Protocols). extraConfig: lines at the end of the location
                  # (nixos/modules/services/web-servers/nginx/location-options.nix, default.nix mkLocations).
                  extraConfig = ''
                    error_page 418 = @backend;
                    if ($http_upgrade ~* "^websocket$") {
                      return 418;
                    }
                  '';
                };
                locations."@backend" = {
                  proxyPass = "http://127.0.0.1:${toString inst.port}";
                  # HTTP/1.1 with the client's Upgrade and Connection headers (default.nix mkLocations)
                  proxyWebsockets = true;
                };
              }
            ) instances
          );
        };
        # nginx reads the static files as its own user: the frontend is world-readable in the store
        security.acme = {
          inherit (cfg.acme) acceptTerms;
          defaults = {
            inherit (cfg.acme) email;
          }
          // lib.optionalAttrs cfg.acme.staging {
            server = "https://acme-staging-v02.api.letsencrypt.org/directory";
          };
        };
        # HTTP for the ACME challenge and the redirect, HTTPS; SSH is opened by modules/security.nix
        networking.firewall.allowedTCPPorts = [
          80
          443
        ];
      })
      # the VM test (checks/vm-tests.nix) boots as a first deploy does, before any secret is
      # copied in: an instance with a secrets file is skipped by its ExecCondition, the others
      # answer on their port; PostgreSQL has each instance's database, nginx answers (ACME
      # serves a self-signed certificate until the real one arrives)
      {
        stack.vmTest = {
          units =
            lib.optional cfg.postgresql.enable "postgresql.service"
            ++ lib.optional cfg.nginx.enable "nginx.service"
            ++ map (inst: "${unitName inst}.service") (lib.filter (inst: inst.secretsFile == null) instances);
          skippedWithoutSecrets = map (inst: "${unitName inst}.service") (lib.filter (inst: inst.secretsFile != null) instances);
          ports =
            lib.optionals cfg.nginx.enable [
              { port = 80; }
              { port = 443; }
            ]
            ++ lib.optional cfg.postgresql.enable { port = 5432; }
            ++ map (inst: { inherit (inst) port; }) (lib.filter (inst: inst.secretsFile == null) instances);
          commands = lib.optionals cfg.postgresql.enable (
            map (inst: "runuser -u postgres -- psql -tAc ${lib.escapeShellArg "SELECT 1 FROM pg_database WHERE datname = '${inst.database}'"} | grep -qx 1") instances
          );
        };
      }
    ]
  );
}
