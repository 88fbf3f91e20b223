# BorgBackup jobs (Swarsel/nixpkgs@4aa6836a nixos/modules/services/backup/borgbackup.nix): the
# job options our templates set, with upstream's types and defaults (encryption.mode has no
# default; compression's strMatching; prune.keep's int-or-"<n>[Hdwmy]"; paths coerced from a
# string), and the assertions: a passCommand or passphrase unless the mode is "none", exactly
# one of paths and dumpCommand (upstream's words, re-read at the same commit; its other job
# assertions concern createCommand and removableDevice, which are not declared here).
# failOnWarnings (bool, true: exit 1 and 100-127 fail the job), extraInitArgs (coercedTo
# (listOf str) escapeShellArgs str, [ ]: `borg init $extraInitArgs` when `borg list` fails) and
# preHook (lines, "": run before init and create) are in that fork (unstable past 26.05) and in
# the older module with borgWrapper (the `with lib;` era, before 26.05), where extraInitArgs was
# a str: so they exist on 26.05 too, and a string value is valid on every branch.
{ config, lib, ... }:
let
  types = lib.types;
  jobModule =
    { name, ... }:
    {
      options = {
        repo = lib.mkOption { type = types.str; };
        paths = lib.mkOption {
          type = types.nullOr (types.coercedTo types.str lib.singleton (types.listOf types.str));
          default = null;
        };
        dumpCommand = lib.mkOption {
          type = types.nullOr types.path;
          default = null;
        };
        exclude = lib.mkOption {
          type = types.listOf types.str;
          default = [ ];
        };
        compression = lib.mkOption {
          type = types.strMatching "none|(auto,)?(lz4|zstd|zlib|lzma)(,[[:digit:]]{1,2})?";
          default = "lz4";
        };
        encryption.mode = lib.mkOption {
          type = types.enum [
            "repokey"
            "keyfile"
            "repokey-blake2"
            "keyfile-blake2"
            "authenticated"
            "authenticated-blake2"
            "none"
          ];
        };
        encryption.passCommand = lib.mkOption {
          type = types.nullOr types.str;
          default = null;
        };
        encryption.passphrase = lib.mkOption {
          type = types.nullOr types.str;
          default = null;
        };
        environment = lib.mkOption {
          type = types.attrsOf types.str;
          default = { };
        };
        startAt = lib.mkOption {
          type = types.either types.str (types.listOf types.str);
          default = "daily";
        };
        persistentTimer = lib.mkOption {
          type = types.bool;
          default = false;
        };
        prune.keep = lib.mkOption {
          type = types.attrsOf (types.either types.int (types.strMatching "[[:digit:]]+[Hdwmy]"));
          default = { };
        };
        readWritePaths = lib.mkOption {
          type = types.listOf types.path;
          default = [ ];
        };
        failOnWarnings = lib.mkOption {
          type = types.bool;
          default = true;
        };
        extraInitArgs = lib.mkOption {
          type = types.coercedTo (types.listOf types.str) lib.escapeShellArgs types.str;
          default = [ ];
        };
        preHook = lib.mkOption {
          type = types.lines;
          default = "";
        };
        postCreate = lib.mkOption {
          type = types.lines;
          default = "";
        };
        user = lib.mkOption {
          type = types.str;
          default = "root";
        };
        group = lib.mkOption {
          type = types.str;
          default = "root";
        };
        archiveBaseName = lib.mkOption {
          type = types.nullOr (types.strMatching "[^/{}]+");
          default = "${config.networking.hostName}-${name}";
        };
      };
    };
in
{
  options.services.borgbackup.jobs = lib.mkOption {
    type = types.attrsOf (types.submodule jobModule);
    default = { };
  };

  config.assertions = lib.concatLists (
    lib.mapAttrsToList (name: job: [
      {
        assertion = job.encryption.mode != "none" -> job.encryption.passCommand != null || job.encryption.passphrase != null;
        message = "passCommand or passphrase has to be specified because borgbackup.jobs.${name}.encryption != \"none\"";
      }
      {
        assertion = lib.count isNull [ job.dumpCommand job.paths ] == 1;
        message = ''
          Exactly one of borgbackup.jobs.${name}.paths or borgbackup.jobs.${name}.dumpCommand
          must be set.
        '';
      }
    ]) config.services.borgbackup.jobs
  );
}
