# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# services.discord-bot: a Node.js app built from pkgs/discord-bot (buildNpmPackage) and run
# as a hardened system service of its own user, with its secrets read from a KEY=value file
# outside the Nix store. Docs: docs/services/discord-bot.md. The values come from the host's
# default.nix (nixos-stack.json); override them in its configuration.nix.
{
  config,
  lib,
  pkgs,
  inputs,
  ...
}:
let
  name = "discord-bot";
  cfg = config.services.${name};
  osConfig = config;

  hardening = import ../lib/systemd-hardening.nix { inherit lib; };

  # the secrets backend of this repo (nixos-stack.json: secrets.backend), for the start check's advice
  secretsBackend = "env-file";

  # EnvironmentFile "-" and an ExecCondition that skips the start with a clear journal line
  # while the secrets file is missing: see ../lib/require-env-file.nix
  requireEnvFile = import ../lib/require-env-file.nix { inherit lib pkgs; };

  npm = lib.getExe' pkgs.nodejs "npm";
  stateDir = "/var/lib/${cfg.stateDirectory}";

  # settings → environment variables, under the names the app reads (envNames, from
  # nixos-stack.json's `env`); unset settings are left out
  # (listToAttrs, not a literal with ${…} names: two equal names are the assertion below, not an evaluation error)
  settingsEnvironment = lib.listToAttrs (
    lib.filter (entry: entry.value != null) [
      (lib.nameValuePair cfg.envNames.discordClientId cfg.settings.discordClientId)
      (lib.nameValuePair cfg.envNames.chatEndpointUrl cfg.settings.chatEndpointUrl)
      (lib.nameValuePair cfg.envNames.model cfg.settings.model)
      # builtins.toJSON writes a float as a number ("0.7"); toString would write "0.700000"
      (lib.nameValuePair cfg.envNames.temperature (
        if cfg.settings.temperature == null then null else builtins.toJSON cfg.settings.temperature
      ))
      (lib.nameValuePair cfg.envNames.maxTokens (
        if cfg.settings.maxTokens == null then null else toString cfg.settings.maxTokens
      ))
    ]
  );

  environment =
    settingsEnvironment
    // cfg.environment
    // {
      NODE_ENV = "production";
      # npm writes its logs and cache under HOME; the state directory is the one writable place
      HOME = stateDir;
      npm_config_cache = "${stateDir}/.npm";
      npm_config_update_notifier = "false";
    };

  # `npm start` runs the script through sh, which finds `node` on PATH (NixOS gives units only
  # coreutils, findutils, grep, sed and systemd: nixos/modules/system/boot/systemd.nix, `path`)
  path = [ pkgs.nodejs ];

  # shared by the app and its companion: same user, same secrets, same sandbox
  serviceConfig =
    # jit: Node.js (V8) compiles JavaScript to machine code at run time, so MemoryDenyWriteExecute
    # is off (with it on, node aborts at start) and the syscall filter allows @pkey (pkey_alloc at
    # start) and @chown (fs.copyFile): see ../lib/systemd-hardening.nix.
    # /proc system files visible: os.cpus() and os.totalmem() read them (ProcSubset=pid hides them).
    hardening {
      jit = true;
      hideSystemProc = false;
    }
    // requireEnvFile {
      file = cfg.environmentFile;
      unit = name;
      backend = secretsBackend;
    }
    // {
      User = cfg.user;
      Group = cfg.group;
      WorkingDirectory = cfg.appDirectory;
      StateDirectory = cfg.stateDirectory;
      StateDirectoryMode = "0700";
      MemoryMax = cfg.memoryMax;
      TasksMax = cfg.tasksMax;
    };
in
{
  options.services.${name} = {
    enable = lib.mkEnableOption "the ${name} Node.js app";

    package = lib.mkOption {
      type = lib.types.package;
      default = pkgs.callPackage ../../pkgs/discord-bot { src = inputs.discord-bot-src; };
      defaultText = lib.literalExpression "pkgs.callPackage ../../pkgs/${name} { src = <its source>; }";
      description = "The app, built by pkgs/${name}/default.nix (buildNpmPackage).";
    };

    appDirectory = lib.mkOption {
      type = lib.types.str;
      # buildNpmPackage's install hook puts the app in lib/node_modules/<package.json name>
      # (pkgs/build-support/node/build-npm-package/hooks/npm-install-hook.sh)
      default = "${cfg.package}/lib/node_modules/${cfg.package.pname}";
      defaultText = lib.literalExpression ''"''${cfg.package}/lib/node_modules/''${cfg.package.pname}"'';
      description = "The app's folder in the package (its package.json): the units' working directory. pname in pkgs/${name}/default.nix must be package.json's name.";
    };

    command = lib.mkOption {
      type = lib.types.nonEmptyListOf lib.types.str;
      default = [
        npm
        "start"
      ];
      defaultText = lib.literalExpression ''[ (lib.getExe' pkgs.nodejs "npm") "start" ]'';
      description = "The app's command line, run in appDirectory (e.g. [ (lib.getExe cfg.package) ] when package.json has a bin).";
    };

    user = lib.mkOption {
      type = lib.types.str;
      default = name;
      description = "The system user the app runs as (created here).";
    };

    group = lib.mkOption {
      type = lib.types.str;
      default = cfg.user;
      defaultText = lib.literalExpression "config.services.${name}.user";
      description = "The app's group (created here).";
    };

    environmentFile = lib.mkOption {
      type = lib.types.str;
      # where this repo's secrets backend puts the file (modules/secrets.nix)
      default = osConfig.stack.secrets.files.${name}.path;
      defaultText = lib.literalExpression "config.stack.secrets.files.${name}.path";
      description = "KEY=value lines with the app's secrets (the Discord token, API keys), read by systemd at start; never in the Nix store.";
    };

    stateDirectory = lib.mkOption {
      type = lib.types.str;
      default = name;
      description = "Under /var/lib: the app's writable directory (StateDirectory=, mode 0700, owned by its user; $STATE_DIRECTORY).";
    };

    envNames =
      let
        # POSIX: letters, digits and '_', not starting with a digit
        envName =
          default: what:
          lib.mkOption {
            type = lib.types.strMatching "[A-Za-z_][A-Za-z0-9_]*";
            inherit default;
            description = "The environment variable the app reads ${what} from.";
          };
      in
      {
        discordClientId = envName "DISCORD_CLIENT_ID" "settings.discordClientId";
        chatEndpointUrl = envName "CHAT_ENDPOINT_URL" "settings.chatEndpointUrl";
        model = envName "CHAT_MODEL" "settings.model";
        temperature = envName "CHAT_TEMPERATURE" "settings.temperature";
        maxTokens = envName "CHAT_MAX_TOKENS" "settings.maxTokens";
        # the secrets' names (env.discordToken, env.apiKey in nixos-stack.json) are the lines of
        # environmentFile, written by you: docs/services/${name}.md lists them
      };

    settings = {
      discordClientId = lib.mkOption {
        type = lib.types.nullOr (lib.types.strMatching "[0-9]+");
        default = null;
        description = "The application id from the Discord developer portal (exported as envNames.discordClientId).";
      };
      chatEndpointUrl = lib.mkOption {
        type = lib.types.nullOr lib.types.str;
        default = null;
        description = "The OpenAI-compatible chat endpoint (exported as envNames.chatEndpointUrl).";
      };
      model = lib.mkOption {
        type = lib.types.nullOr lib.types.str;
        default = null;
        description = "The model name the endpoint serves (exported as envNames.model).";
      };
      temperature = lib.mkOption {
        type = lib.types.nullOr lib.types.float;
        default = null;
        description = "Sampling temperature, a float, e.g. 0.7 (exported as envNames.temperature).";
      };
      maxTokens = lib.mkOption {
        type = lib.types.nullOr lib.types.ints.positive;
        default = null;
        description = "The longest answer, in tokens (exported as envNames.maxTokens).";
      };
    };

    environment = lib.mkOption {
      type = lib.types.attrsOf lib.types.str;
      default = { };
      description = "More environment variables (never secrets: they reach the Nix store; put those in environmentFile).";
    };

    memoryMax = lib.mkOption {
      type = lib.types.str;
      default = "512M";
      description = "MemoryMax= of each unit: the kernel stops the app beyond it.";
    };

    tasksMax = lib.mkOption {
      type = lib.types.ints.positive;
      default = 256;
      description = "TasksMax= of each unit: the most threads and processes.";
    };

    companion = {
      enable = lib.mkEnableOption "the one-shot ${name}-deploy unit, run before the app (e.g. to register Discord slash commands)";
      script = lib.mkOption {
        type = lib.types.str;
        default = "deploy-commands";
        description = "The package.json script ${name}-deploy runs (npm run <script>).";
      };
    };
  };

  config = lib.mkIf cfg.enable {
    assertions = [
      {
        # listToAttrs would keep one of two equal names silently: say which
        assertion = lib.length (lib.unique (lib.attrValues cfg.envNames)) == lib.length (lib.attrValues cfg.envNames);
        message = "services.${name}.envNames: two settings share one variable (${lib.concatStringsSep ", " (lib.mapAttrsToList (k: v: "${k} = ${v}") cfg.envNames)}): give each the name the app reads.";
      }
      {
        # a build with lib.fakeHash fails only at build time, with a hash mismatch; say it here, at evaluation
        assertion = (cfg.package.npmDepsHash or null) != lib.fakeHash;
        message = ''
          pkgs/${name}/default.nix: npmDepsHash is still the placeholder (lib.fakeHash), so ${name} cannot be built.
          Build the package once to learn the real hash:
            nix build .#nixosConfigurations.${osConfig.networking.hostName}.config.services.${name}.package
          It fails with "hash mismatch … got: sha256-…": put that sha256-… value in npmDepsHash in
          pkgs/${name}/default.nix, commit, and run `nix flake check` again (docs/services/${name}.md).
        '';
      }
    ];

    users.users.${cfg.user} = {
      isSystemUser = true;
      inherit (cfg) group;
      home = stateDir;
      description = "${name} Node.js app";
    };
    users.groups.${cfg.group} = { };

    systemd.services.${name} = {
      description = "${name} (Node.js app)";
      wantedBy = [ "multi-user.target" ];
      # the companion runs first when enabled; `wants`, not `requires`: its failure does not keep the app down
      wants = [ "network-online.target" ] ++ lib.optional cfg.companion.enable "${name}-deploy.service";
      after = [ "network-online.target" ] ++ lib.optional cfg.companion.enable "${name}-deploy.service";
      inherit environment path;
      # a bad token makes every start fail: after 5 failed starts in 5 minutes systemd stops
      # trying (systemd.unit(5), StartLimitIntervalSec=, StartLimitBurst=) instead of logging in
      # to Discord every 5 s forever; `systemctl reset-failed` lets it try again
      unitConfig = {
        StartLimitIntervalSec = 300;
        StartLimitBurst = 5;
      };
      serviceConfig = serviceConfig // {
        ExecStart = lib.escapeShellArgs cfg.command;
        Restart = "on-failure";
        RestartSec = 5;
      };
    };

    # `systemctl restart ${name}-deploy` runs it again by hand. RemainAfterExit: it runs once per
    # boot (or when a deploy changes it), not on every restart of the app.
    systemd.services."${name}-deploy" = lib.mkIf cfg.companion.enable {
      description = "${name}: npm run ${cfg.companion.script} (once, before the app)";
      before = [ "${name}.service" ];
      wants = [ "network-online.target" ];
      after = [ "network-online.target" ];
      inherit environment path;
      serviceConfig = serviceConfig // {
        Type = "oneshot";
        RemainAfterExit = true;
        ExecStart = lib.escapeShellArgs [
          npm
          "run"
          cfg.companion.script
        ];
      };
    };

    # the VM test (checks/vm-tests.nix) boots as a first deploy does, before the secrets file is
    # copied in: the app and its companion are skipped by their ExecCondition, never crash-looping
    stack.vmTest.skippedWithoutSecrets = [ "${name}.service" ] ++ lib.optional cfg.companion.enable "${name}-deploy.service";
  };
}
