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
        present = lib.mkOption {
          type = lib.types.bool;
          readOnly = true;
          default = true;
          description = "Whether a file is at `path` when its consumer starts: the operator writes it on the server, which evaluation cannot see; with `placeholder` there is always one (agenix and sops: whether its encrypted file is in the repo).";
        };
        placeholder = lib.mkOption {
          type = lib.types.bool;
          default = false;
          description = "Keep an empty file (root's, mode 0400) at `path` until the operator writes it, for a consumer that cannot start on a missing path: a container's bind mount aborts systemd-nspawn when its source does not exist. The consumer reads an empty file as a missing one.";
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
    # systemd-tmpfiles (tmpfiles.d(5)): `d` makes the directory (root's, 0700, as docs/secrets.md
    # creates it), `f` an empty file only where none exists yet; both keep root 0400/0700 on what
    # is there
    systemd.tmpfiles.rules = lib.unique (
      lib.concatLists (
        lib.mapAttrsToList (_: file: [
          "d ${dirOf file.path} 0700 root root -"
          "f ${file.path} 0400 root root -"
        ]) (lib.filterAttrs (_: file: file.placeholder) cfg.files)
      )
    );

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
