# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# Home services: any long-running command, run by home-manager as a user service of its own
# unprivileged user, which lingers so the service starts at boot (the gateway kind is one with a
# placeholder program of its own). Its secrets stay out of the Nix store: with agenix or sops the
# file the backend decrypts, else an environment file in that user's home.
{ config, lib, pkgs, ... }:
let
  cfg = config.stack.homeServices;
  osConfig = config;

  instanceModule =
    { name, config, ... }:
    {
      options = {
        user = lib.mkOption {
          type = lib.types.str;
          description = "The unprivileged user that runs it.";
        };
        command = lib.mkOption {
          type = lib.types.str;
          description = "The bash command line that runs the service (it must not return while the service runs).";
        };
        port = lib.mkOption {
          type = lib.types.nullOr lib.types.port;
          default = null;
          description = "The port it listens on, on 127.0.0.1 (given to it as PORT), if any.";
        };
        description = lib.mkOption {
          type = lib.types.str;
          default = name;
        };
        secretsFile = lib.mkOption {
          type = lib.types.str;
          default =
            osConfig.stack.secrets.files.${name}.path
              or "${osConfig.users.users.${config.user}.home}/.config/${name}/secrets.env";
          defaultText = lib.literalExpression ''config.stack.secrets.files.''${name}.path or "''${home}/.config/''${name}/secrets.env"'';
          description = "KEY=value lines read at start (systemd EnvironmentFile).";
        };
      };
    };
in
{
  options.stack.homeServices.instances = lib.mkOption {
    type = lib.types.attrsOf (lib.types.submodule instanceModule);
    default = { };
    description = "Home-manager user services, keyed by service name.";
  };

  config = lib.mkIf (cfg.instances != { }) {
    assertions = [
      {
        assertion = lib.allUnique (lib.mapAttrsToList (_: instance: instance.user) cfg.instances);
        message = "stack.homeServices.instances: each home service needs its own user.";
      }
    ];

    users.users = lib.mapAttrs' (
      name: instance:
      lib.nameValuePair instance.user {
        # a normal user (home-manager needs a home) with no password and no keys: it cannot log in
        isNormalUser = true;
        description = "${name} service";
        # start the user's services at boot, without a login (users.users.<name>.linger)
        linger = true;
      }
    ) cfg.instances;

    home-manager.useGlobalPkgs = true;
    home-manager.useUserPackages = true;
    home-manager.users = lib.mapAttrs' (
      name: instance:
      lib.nameValuePair instance.user {
        home.stateVersion = config.system.stateVersion;
        # home-manager's systemd.user.services use INI sections (home-manager: modules/systemd.nix)
        systemd.user.services.${name} = {
          Unit.Description = instance.description;
          Service = {
            ExecStart = lib.getExe (
              pkgs.writeShellApplication {
                name = "${name}-service";
                text = instance.command;
              }
            );
            Environment = lib.optionals (instance.port != null) [
              "HOST=127.0.0.1"
              "PORT=${toString instance.port}"
            ];
            # "-": start without it until you copy the file in
            EnvironmentFile = "-${instance.secretsFile}";
            Restart = "on-failure";
            RestartSec = 5;
            # sandboxing that works in a user manager (as the gateway's)
            NoNewPrivileges = true;
            LockPersonality = true;
            RestrictRealtime = true;
            MemoryMax = "512M";
            TasksMax = 256;
          };
          Install.WantedBy = [ "default.target" ];
        };
      }
    ) cfg.instances;

    # the VM test (checks/vm-tests.nix): each instance's user unit runs, and its port answers
    stack.vmTest = {
      userUnits = lib.mapAttrsToList (name: instance: {
        inherit (instance) user;
        unit = "${name}.service";
      }) cfg.instances;
      ports = lib.concatLists (lib.mapAttrsToList (_: instance: lib.optional (instance.port != null) { inherit (instance) port; }) cfg.instances);
    };
  };
}
