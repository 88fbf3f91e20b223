# nixos/modules/misc/version.nix (Swarsel/nixpkgs@4aa6836a): system.stateVersion is a str
# defaulting to the branch's release (with a warning when unset), asserted to look like
# "YY.MM". The release itself is set per branch in ./nixos-<branch>.nix.
{
  config,
  options,
  lib,
  ...
}:
{
  options.system = {
    nixos.release = lib.mkOption {
      type = lib.types.str;
      readOnly = true;
      description = "The NixOS release (e.g. `26.05`).";
    };
    # "The Git revision of the top-level flake from which this configuration was built."
    configurationRevision = lib.mkOption {
      type = lib.types.nullOr lib.types.str;
      default = null;
    };
    stateVersion = lib.mkOption {
      type = lib.types.str;
      default = config.system.nixos.release;
      apply =
        v:
        lib.warnIf (options.system.stateVersion.highestPrio == (lib.mkOptionDefault { }).priority)
          "system.stateVersion is not set, defaulting to ${v}. Read why this matters on https://nixos.org/manual/nixos/stable/options.html#opt-system.stateVersion."
          v;
    };
  };

  config.assertions = [
    {
      assertion = builtins.match "[0-9]{2}\\.[0-9]{2}" config.system.stateVersion != null;
      message = ''
        ${config.system.stateVersion} is an invalid value for 'system.stateVersion'; it must be in the format "YY.MM",
        which corresponds to a prior release of NixOS.
      '';
    }
  ];
}
