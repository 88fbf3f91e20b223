# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# Secrets through agenix (ryantm/agenix modules/age.nix). Each entry of stack.secrets.files is
# secrets/<name>.age in this repo, encrypted to the recipients of secrets/secrets.nix; agenix
# decrypts it at activation with the host's SSH key into /run/agenix/<name> (a tmpfs, never the
# Nix store), owned by the service's user. Until the .age file exists the entry is left out and
# a warning says how to create it. No service crash-loops meanwhile: a system service that reads
# it is not started, with one log line saying how to create it (modules/lib/require-env-file.nix);
# the gateway and home services start without it.
{ config, lib, ... }:
let
  cfg = config.stack.secrets;
  osConfig = config;

  # one literal per secret, so only encrypted files are ever named (secrets/*.age)
  encryptedFiles = {
    backup = ../secrets/backup.age;
    containers-agent = ../secrets/containers-agent.age;
    containers-data = ../secrets/containers-data.age;
    containers-graph = ../secrets/containers-graph.age;
    containers-monitoring = ../secrets/containers-monitoring.age;
    containers-workflow = ../secrets/containers-workflow.age;
  };

  created = lib.filterAttrs (name: _: encryptedFiles ? ${name} && builtins.pathExists encryptedFiles.${name}) cfg.files;
  missing = lib.attrNames (lib.removeAttrs cfg.files (lib.attrNames created));

  fileModule =
    { name, ... }:
    {
      options = {
        owner = lib.mkOption {
          type = lib.types.str;
          description = "The user the decrypted file belongs to (the service's user).";
        };
        group = lib.mkOption {
          type = lib.types.str;
          description = "Its group.";
        };
        mode = lib.mkOption {
          type = lib.types.str;
          default = "0400";
          description = "Its permissions, as chmod reads them.";
        };
        present = lib.mkOption {
          type = lib.types.bool;
          readOnly = true;
          default = encryptedFiles ? ${name} && builtins.pathExists encryptedFiles.${name};
          defaultText = lib.literalExpression "builtins.pathExists ./secrets/<name>.age";
          description = "Whether the decrypted file is at `path` once this configuration is active (its encrypted file is in the repo). Read by consumers that cannot start on a missing path: a container's bind mount aborts systemd-nspawn when its source does not exist (modules/services/containers.nix).";
        };
        path = lib.mkOption {
          type = lib.types.str;
          # agenix's default path: "${age.secretsDir}/${name}" (modules/age.nix)
          default = osConfig.age.secrets.${name}.path or "/run/agenix/${name}";
          defaultText = lib.literalExpression ''config.age.secrets.''${name}.path'';
          description = "Where the decrypted file is at run time (read by the service).";
        };
      };
    };
in
{
  options.stack.secrets.files = lib.mkOption {
    type = lib.types.attrsOf (lib.types.submodule fileModule);
    default = { };
    description = "The secret files of this host's services, keyed by service name.";
  };

  config = lib.mkIf (cfg.files != { }) {
    assertions = lib.concatLists (
      lib.mapAttrsToList (name: file: [
        {
          assertion = config.users.users ? ${file.owner};
          message = "stack.secrets.files.${name}.owner: no user \"${file.owner}\" is declared (users.users), so agenix could not give it the file.";
        }
        {
          assertion = config.users.groups ? ${file.group};
          message = "stack.secrets.files.${name}.group: no group \"${file.group}\" is declared (users.groups).";
        }
      ]) cfg.files
    );

    warnings = map (
      name:
      "secrets/${name}.age does not exist yet, so the service that reads it waits for it (a system service is not started, its status says why; the gateway and home services start without it): create it with `cd secrets && agenix -e ${name}.age` (see docs/secrets.md), then `git add secrets/${name}.age`."
    ) missing;

    age.secrets = lib.mapAttrs (name: file: {
      file = encryptedFiles.${name};
      inherit (file) owner group mode;
    }) created;
  };
}
