# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# Host "bot-vps": values from nixos-stack.json. Customise in ./configuration.nix.
_:
{
  imports = [
    ../../modules/system.nix
    ../../modules/security.nix
    ../../modules/disk.nix
    ../../modules/profiles/vps.nix
    ../../modules/services/discord-bot.nix
    ../../modules/secrets.nix
    ./configuration.nix
  ]
  # written by bootstrap.sh (nixos-anywhere --generate-hardware-config); absent until the first install
  ++ (if builtins.pathExists ./hardware-configuration.nix then [ ./hardware-configuration.nix ] else [ ]);

  networking.hostName = "bot-vps";
  time.timeZone = "UTC";
  i18n.defaultLocale = "en_US.UTF-8";
  # the release of the first install; never change it afterwards (nixos/modules/misc/version.nix)
  system.stateVersion = "26.05";

  stack = {
    admins = {
      admin = {
        sshKeys = [
          "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u example-operator@nixos-stack"
        ];
      };
    };
    disk = {
      device = "/dev/sda";
    };
    secrets = {
      files = {
        discord-bot = {
          group = "discord-bot";
          owner = "discord-bot";
        };
      };
    };
    security = {
      autoUpgrade = true;
      sshPort = 2222;
    };
  };

  # this host's node-apps and web-apps: their modules (../../modules/services/) declare these options
  services = {
    discord-bot = {
      companion = {
        enable = true;
        script = "deploy-commands";
      };
      enable = true;
      envNames = {
        chatEndpointUrl = "CHAT_ENDPOINT_URL";
        discordClientId = "DISCORD_CLIENT_ID";
        maxTokens = "CHAT_MAX_TOKENS";
        model = "CHAT_MODEL";
        temperature = "CHAT_TEMPERATURE";
      };
      environment = {
        LOG_LEVEL = "info";
      };
      memoryMax = "512M";
      settings = {
        chatEndpointUrl = "http://127.0.0.1:11434/v1";
        discordClientId = "123456789012345678";
        maxTokens = 512;
        model = "llama3.1:8b";
        temperature = 0.7;
      };
      tasksMax = 256;
    };
  };
}
