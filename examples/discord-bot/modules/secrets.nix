# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# Secrets as plain env files on each server (nixos-stack.json: secrets.backend "env-file").
# Each entry of stack.secrets.files is /etc/discord-bot/secrets/<name>.env: KEY=value lines
# written by the operator, owned by root with mode 600 (systemd reads a unit's EnvironmentFile=
# as root, before it drops to the service's user), outside this repo and the Nix store. Nothing
# here creates or reads the file; a service whose file is missing does not start and says how
# to create it (modules/lib/require-env-file.sh). Commands: docs/secrets.md.
{ config, lib, ... }:
let
  cfg = config.stack.secrets;
  dir = "/etc/discord-bot/secrets";

  fileModule =
    { name, ... }:
    {
      options = {
        owner = lib.mkOption {
          type = lib.types.str;
          description = "The service's user (the file itself stays root's: systemd reads it as root).";
        };
        group = lib.mkOption {
          type = lib.types.str;
          description = "The service's group.";
        };
        mode = lib.mkOption {
          type = lib.types.str;
          default = "0400";
          description = "Unused by env-file (the operator creates the file with mode 600); agenix and sops apply it.";
        };
        path = lib.mkOption {
          type = lib.types.str;
          default = "${dir}/${name}.env";
          defaultText = lib.literalExpression ''"${dir}/''${name}.env"'';
          description = "Where the operator puts the file on the server (read by the service).";
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
          # a path in the store would be world-readable
          assertion = !lib.hasPrefix builtins.storeDir file.path && lib.hasPrefix "/" file.path;
          message = "stack.secrets.files.${name}.path: \"${file.path}\" must be an absolute path outside the Nix store (the default is ${dir}/${name}.env).";
        }
        {
          assertion = config.users.users ? ${file.owner};
          message = "stack.secrets.files.${name}.owner: no user \"${file.owner}\" is declared (users.users).";
        }
      ]) cfg.files
    );
  };
}
