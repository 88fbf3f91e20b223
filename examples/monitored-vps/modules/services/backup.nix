# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# BorgBackup (nixos/modules/services/backup/borgbackup.nix): one job per backup service, of the
# stateful paths of every service on this host (listed in hosts/<name>/default.nix from
# nixos-stack.json: data directories, container state) plus the paths you add. Archives are
# encrypted (repokey-blake2: the key is stored in the repository, locked by the passphrase),
# compressed, made on a schedule (a missed run is caught up at boot), and pruned to the daily,
# weekly and monthly archives the manifest keeps. The passphrase is the BORG_PASSPHRASE line of
# the service's secret file (the secrets backend's, docs/secrets.md), read by passCommand: never
# a literal, never in the Nix store. Restore procedure and drill: docs/services/backup.md.
{ config, lib, pkgs, options, ... }:
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
      environment = lib.optionalAttrs (job.sshKey != null) {
        BORG_RSH = "ssh -i ${job.sshKey} -o StrictHostKeyChecking=accept-new";
      };
      readWritePaths = [ textfileDirectory ];
      postCreate = ''
        printf '# TYPE stack_backup_last_success_timestamp_seconds gauge\nstack_backup_last_success_timestamp_seconds{borg_job="%s"} %s\n' ${lib.escapeShellArg name} "$(date +%s)" > ${textfileDirectory}/borg-${name}.prom.new
        mv ${textfileDirectory}/borg-${name}.prom.new ${textfileDirectory}/borg-${name}.prom
      '';
    }) cfg.jobs;

    # node-exporter.nix creates it where it is imported (the monitoring kind); borg's
    # ReadWritePaths needs it to exist either way
    systemd.tmpfiles.rules = lib.mkIf (!(options.stack ? nodeExporter)) [ "d ${textfileDirectory} 0755 root root -" ];
  };
}
