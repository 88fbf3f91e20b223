# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# Gateway services: a process bound to 127.0.0.1, run by home-manager as a user service
# of its own unprivileged user, which lingers so the service starts at boot.
# Its secrets stay out of the Nix store: an environment file in that user's home.
{ config, lib, pkgs, ... }:
let
  cfg = config.stack.gateway;
  osConfig = config;

  # Stands in for your gateway until you set `package`: a small HTTP server that answers
  # GET /health and, when GATEWAY_TOKEN is set in the secrets file, requires it as a bearer token.
  placeholder = pkgs.writeShellApplication {
    name = "gateway-placeholder";
    runtimeInputs = [ pkgs.nodejs ];
    text = ''exec node ${./gateway-placeholder.js} "$@"'';
  };

  instanceModule =
    { name, config, ... }:
    {
      options = {
        user = lib.mkOption {
          type = lib.types.str;
          default = name;
          description = "The unprivileged user that runs this gateway.";
        };
        port = lib.mkOption {
          type = lib.types.port;
          description = "The port it listens on, on 127.0.0.1 only.";
        };
        package = lib.mkOption {
          type = lib.types.package;
          default = placeholder;
          description = "The program to run (lib.getExe of it). It gets HOST, PORT and the variables of secretsFile.";
        };
        secretsFile = lib.mkOption {
          type = lib.types.str;
          # with agenix or sops, the file the backend decrypts (modules/secrets.nix; docs/secrets.md),
          # else a file in the user's home
          default =
            osConfig.stack.secrets.files.${name}.path
              or "${osConfig.users.users.${config.user}.home}/.config/${name}/secrets.env";
          defaultText = lib.literalExpression ''config.stack.secrets.files.''${name}.path or "''${home}/.config/''${name}/secrets.env"'';
          description = "KEY=value lines read at start (systemd EnvironmentFile): the decrypted file of the secrets backend, or a file you create on the server, mode 0600.";
        };
      };
    };
in
{
  options.stack.gateway.instances = lib.mkOption {
    type = lib.types.attrsOf (lib.types.submodule instanceModule);
    default = { };
    description = "Gateway user services, keyed by service name.";
  };

  config = lib.mkIf (cfg.instances != { }) {
    assertions = [
      {
        assertion = lib.allUnique (lib.mapAttrsToList (_: instance: instance.user) cfg.instances);
        message = "stack.gateway.instances: each gateway needs its own user.";
      }
    ];

    users.users = lib.mapAttrs' (
      name: instance:
      lib.nameValuePair instance.user {
        # a normal user (home-manager needs a home) with no password and no keys: it cannot log in
        isNormalUser = true;
        description = "${name} gateway";
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
          Unit.Description = "${name} gateway on 127.0.0.1:${toString instance.port}";
          Service = {
            ExecStart = lib.getExe instance.package;
            Environment = [
              "HOST=127.0.0.1"
              "PORT=${toString instance.port}"
            ];
            # "-": start without it until you copy the file in (the placeholder then needs no token)
            EnvironmentFile = "-${instance.secretsFile}";
            Restart = "on-failure";
            RestartSec = 5;
            # sandboxing that works in a user manager (no user namespaces needed); user@.service
            # delegates the memory and pids controllers, so the limits apply
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
      ports = lib.concatLists (lib.mapAttrsToList (_: instance: [ { inherit (instance) port; } ]) cfg.instances);
    };
  };
}
