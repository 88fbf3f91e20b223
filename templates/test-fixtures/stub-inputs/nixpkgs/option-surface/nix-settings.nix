# Nix itself: nixos/modules/services/system/nix-daemon.nix (nix.enable, default true),
# nixos/modules/config/nix.nix (nix.settings: declared keys plus freeform Nix config atoms)
# and nixos/modules/services/misc/nix-gc.nix (nix.gc and its assertion), all read at
# Swarsel/nixpkgs@4aa6836a: every key nix.nix declares in nix.settings, with its type (any other
# key a Nix config atom or a list of them), the values nix.nix and nix-daemon.nix define there,
# and nix.gc's assertion. Not modelled: `nix.checkConfig`, which parses nix.conf at build time;
# the assertions of an unprivileged daemon (nix.daemonUser, which no template sets).
{ config, lib, ... }:
let
  types = lib.types;
  confAtom =
    types.nullOr (
      types.oneOf [
        types.bool
        types.int
        types.float
        types.str
        types.path
        types.package
      ]
    )
    // {
      description = "Nix config atom (null, bool, int, float, str, path or package)";
    };
  defaultSystemFeatures = [
    "nixos-test"
    "benchmark"
    "big-parallel"
    "kvm"
  ];
in
{
  options.nix = {
    enable = lib.mkOption {
      type = types.bool;
      default = true;
    };

    settings = lib.mkOption {
      default = { };
      type = types.submodule {
        freeformType = types.attrsOf (types.either confAtom (types.listOf confAtom));
        options = {
          auto-optimise-store = lib.mkOption {
            type = types.bool;
            default = false;
          };
          allowed-users = lib.mkOption {
            type = types.listOf types.str;
            default = [ "*" ];
          };
          trusted-users = lib.mkOption { type = types.listOf types.str; };
          trusted-substituters = lib.mkOption {
            type = types.listOf types.str;
            default = [ ];
          };
          cores = lib.mkOption {
            type = types.int;
            default = 0;
          };
          extra-sandbox-paths = lib.mkOption {
            type = types.listOf types.str;
            default = [ ];
          };
          require-sigs = lib.mkOption {
            type = types.bool;
            default = true;
          };
          # upstream's default adds gccarch-<arch> where the platform names one
          system-features = lib.mkOption {
            type = types.listOf types.str;
            default = defaultSystemFeatures;
          };
          substituters = lib.mkOption { type = types.listOf types.str; };
          trusted-public-keys = lib.mkOption { type = types.listOf types.str; };
          sandbox = lib.mkOption {
            type = types.either types.bool (types.enum [ "relaxed" ]);
            default = true;
          };
          max-jobs = lib.mkOption {
            type = types.either types.int (types.enum [ "auto" ]);
            default = "auto";
          };
        };
      };
    };

    gc = {
      automatic = lib.mkOption {
        type = types.bool;
        default = false;
      };
      dates = lib.mkOption {
        type = types.either types.singleLineStr (types.listOf types.str);
        default = [ "03:15" ];
        apply = lib.toList;
      };
      options = lib.mkOption {
        type = types.singleLineStr;
        default = "";
      };
      persistent = lib.mkOption {
        type = types.bool;
        default = true;
      };
      randomizedDelaySec = lib.mkOption {
        type = types.singleLineStr;
        default = "0";
      };
    };
  };

  config = {
    nix.settings = lib.mkIf config.nix.enable {
      substituters = lib.mkAfter [ "https://cache.nixos.org/" ];
      trusted-public-keys = [ "cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=" ];
      trusted-users = [ "root" ];
      system-features = defaultSystemFeatures;
      # nix-daemon.nix ("Legacy configuration conversion")
      sandbox-fallback = false;
    };
    assertions = [
      {
        assertion = config.nix.gc.automatic -> config.nix.enable;
        message = "nix.gc.automatic requires nix.enable";
      }
    ];
  };
}
