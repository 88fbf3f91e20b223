# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# BorgBackup (nixos/modules/services/backup/borgbackup.nix): one job per backup service, of the
# stateful paths of every service on this host (listed in hosts/<name>/default.nix from
# nixos-stack.json: data directories, container state) plus the paths you add. Archives are
# encrypted (repokey-blake2: the key is stored in the repository, locked by the passphrase),
# compressed, made on a schedule (a missed run is caught up at boot), and pruned to the daily,
# weekly and monthly archives the manifest keeps. The passphrase is the BORG_PASSPHRASE line of
# the service's secret file (the secrets backend's, docs/secrets.md), read by passCommand: never
# a literal, never in the Nix store. Restore procedure and drill: docs/services/backup.md.
#
# Live data: a database's files copied while it writes are no backup. Before each archive the
# job runs the dumps its host's services declare (PostgreSQL's pg_dumpall, Qdrant's snapshot,
# inside their container) and the archive leaves the live directories out (the `exclude`
# list). What still changes while borg reads it (journals, Grafana's SQLite, NATS' stream
# files) makes borg warn "file changed while we backed it up" and store it anyway: that must
# not fail the job before prune and the timestamp, so failOnWarnings is off (borgbackup.nix:
# exit 1 and 100-127 are warnings) and each warning stays in the unit's journal.
{ config, lib, pkgs, ... }:
let
  cfg = config.stack.backup;
  osConfig = config;
  dotenvValue = import ../lib/dotenv-value.nix { inherit pkgs; };
  # the node exporter's textfile directory (modules/services/node-exporter.nix), where each job
  # records the time of its last archive for the BackupTooOld alert and health checks
  textfileDirectory = "/var/lib/node-exporter-textfile";

  keepOption = lib.mkOption { type = lib.types.ints.unsigned; };

  jobModule =
    { name, config, ... }:
    {
      options = {
        repository = lib.mkOption {
          type = lib.types.str;
          description = "The borg repository: a local path, user@host:path or ssh://user@host:port/path.";
        };
        schedule = lib.mkOption {
          type = lib.types.str;
          default = "daily";
          description = "When the job runs (systemd.time(7)).";
        };
        compression = lib.mkOption {
          type = lib.types.str;
          default = "auto,zstd";
        };
        keep = {
          daily = keepOption;
          weekly = keepOption;
          monthly = keepOption;
        };
        paths = lib.mkOption {
          type = lib.types.listOf lib.types.str;
          description = "What to back up: every stateful path of the host's services, and yours.";
        };
        exclude = lib.mkOption {
          type = lib.types.listOf lib.types.str;
          default = [ ];
        };
        sshKey = lib.mkOption {
          type = lib.types.nullOr lib.types.str;
          default = null;
          description = "The private key borg's SSH uses to reach a remote repository.";
        };
        knownHost = lib.mkOption {
          type = lib.types.nullOr (
            lib.types.submodule {
              options = {
                hostNames = lib.mkOption {
                  type = lib.types.listOf lib.types.str;
                  description = "The repository host as ssh looks it up: host, or [host]:port off port 22.";
                };
                publicKey = lib.mkOption {
                  type = lib.types.str;
                  description = "Its SSH host key (the manifest's repositoryHostKey).";
                };
              };
            }
          );
          default = null;
          description = "The remote repository's pinned host key; null for a local repository.";
        };
        dumps = lib.mkOption {
          type = lib.types.listOf (
            lib.types.submodule {
              options = {
                machine = lib.mkOption {
                  type = lib.types.nullOr lib.types.str;
                  default = null;
                  description = "The container whose unit it is (systemctl --machine); null: the host.";
                };
                unit = lib.mkOption {
                  type = lib.types.str;
                  description = "A oneshot unit that writes a consistent copy into the backed-up paths.";
                };
              };
            }
          );
          default = [ ];
          description = "Dumps started, and waited for, before each archive: a failed dump fails the job.";
        };
        envSecretsFile = lib.mkOption {
          type = lib.types.str;
          internal = true;
        };
        secretsFile = lib.mkOption {
          type = lib.types.str;
          default = osConfig.stack.secrets.files.${name}.path or config.envSecretsFile;
          defaultText = lib.literalExpression ''config.stack.secrets.files.''${name}.path or "/etc/<stack>/secrets/''${name}.env"'';
          description = "The dotenv file with the BORG_PASSPHRASE= line (mode 0400, root).";
        };
      };
    };
in
{
  options.stack.backup.jobs = lib.mkOption {
    type = lib.types.attrsOf (lib.types.submodule jobModule);
    default = { };
    description = "BorgBackup jobs of this host, keyed by service name.";
  };

  config = lib.mkIf (cfg.jobs != { }) {
    # the VM test (checks/vm-tests.nix): each job's timer is queued (the borgbackup module makes
    # borgbackup-job-<name>.timer from startAt; the job itself needs the storage box)
    stack.vmTest.units = map (name: "borgbackup-job-${name}.timer") (lib.attrNames cfg.jobs);

    assertions = lib.concatLists (
      lib.mapAttrsToList (name: job: [
        {
          assertion = job.paths != [ ];
          message = "stack.backup.jobs.${name}.paths: nothing to back up (no service on this host keeps state): list paths in nixos-stack.json (the backup service's \"paths\").";
        }
        {
          assertion = !(lib.hasPrefix "/" job.repository) -> job.knownHost != null;
          message = "stack.backup.jobs.${name}.knownHost: the repository ${job.repository} is reached over SSH, and borg's unit cannot learn a host key on first contact: set the backup service's \"repositoryHostKey\" in nixos-stack.json (docs/services/backup.md, Set up).";
        }
        {
          assertion = config.services.borgbackup.jobs.${name}.encryption.passphrase == null;
          message = "services.borgbackup.jobs.${name}.encryption.passphrase: a literal passphrase ends up in the world-readable Nix store; keep it in the backup service's secret file (BORG_PASSPHRASE=…, docs/services/backup.md), which passCommand reads.";
        }
      ]) cfg.jobs
    );

    services.borgbackup.jobs = lib.mapAttrs (name: job: {
      repo = job.repository;
      inherit (job) paths exclude compression;
      startAt = job.schedule;
      # run at boot when the machine was off at the scheduled time
      persistentTimer = true;
      encryption = {
        mode = "repokey-blake2";
        passCommand = "${lib.getExe dotenvValue} BORG_PASSPHRASE ${lib.escapeShellArg job.secretsFile}";
      };
      prune.keep = {
        inherit (job.keep) daily weekly monthly;
      };
      # The unit runs with ProtectSystem=strict (borgbackup.nix), so ssh can never write a
      # known_hosts file: with accept-new it would accept whatever key answers, every run. The
      # key is pinned in /etc/ssh/ssh_known_hosts (programs.ssh.knownHosts, below) and nothing
      # else counts: no user file, and a host that answers with another key is refused.
      environment = lib.optionalAttrs (job.knownHost != null || job.sshKey != null) {
        BORG_RSH = lib.concatStringsSep " " (
          [ "ssh" ]
          ++ lib.optionals (job.sshKey != null) [ "-i" (lib.escapeShellArg job.sshKey) ]
          ++ [
            "-o StrictHostKeyChecking=yes"
            "-o UserKnownHostsFile=/dev/null"
          ]
        );
      };
      # a storage box account starts empty: `borg init` of ./borg/<host> needs ./borg made first
      # (upstream runs `borg init $extraArgs --encryption <mode> $extraInitArgs` when `borg list`
      # fails; a string is accepted by extraInitArgs' type on every branch, a list only by the
      # newer coercedTo (listOf str) one)
      extraInitArgs = "--make-parent-dirs";
      # see the top of this file: the dumps and excludes keep the databases consistent, and a
      # live file that changed is archived with a warning in the journal instead of failing
      failOnWarnings = false;
      preHook = lib.concatMapStrings (
        dump:
        let
          where = if dump.machine == null then "" else "--machine=${lib.escapeShellArg dump.machine} ";
          what = "${dump.unit}${lib.optionalString (dump.machine != null) " in container ${dump.machine}"}";
        in
        ''
          # systemctl start waits for a oneshot unit to finish, and fails with it
          if ! ${pkgs.systemd}/bin/systemctl ${where}start ${lib.escapeShellArg dump.unit}; then
            echo ${lib.escapeShellArg "backup ${name}: the dump ${what} failed; no archive is made without it (journalctl${lib.optionalString (dump.machine != null) " -M ${dump.machine}"} -u ${dump.unit})"} >&2
            exit 1
          fi
        ''
      ) job.dumps;
      readWritePaths = [ textfileDirectory ];
      postCreate = ''
        printf '# TYPE stack_backup_last_success_timestamp_seconds gauge\nstack_backup_last_success_timestamp_seconds{borg_job="%s"} %s\n' ${lib.escapeShellArg name} "$(date +%s)" > ${textfileDirectory}/borg-${name}.prom.new
        mv ${textfileDirectory}/borg-${name}.prom.new ${textfileDirectory}/borg-${name}.prom
      '';
    }) cfg.jobs;

    programs.ssh.knownHosts = lib.mapAttrs' (
      name: job: lib.nameValuePair "borg-${name}" { inherit (job.knownHost) hostNames publicKey; }
    ) (lib.filterAttrs (_: job: job.knownHost != null) cfg.jobs);

    # node-exporter.nix creates it where the exporter is enabled; it may be imported and off
    # (a containers host without a monitoring container), and borg's ReadWritePaths needs the
    # directory to exist either way (the same rule twice is one line: tmpfiles.d(5))
    systemd.tmpfiles.rules = lib.mkIf (!(config.stack.nodeExporter.enable or false)) [ "d ${textfileDirectory} 0755 root root -" ];
  };
}
