# nixos/modules/system/activation/top-level.nix (Swarsel/nixpkgs@4aa6836a):
# system.build.toplevel is `lib.asserts.checkAssertWarn config.assertions config.warnings
# baseSystem`, which is what `nix flake check` forces. Here the system is a fake derivation,
# and before it is returned every defined option's value is forced all the way down, so a
# type error in any definition fails the check too, not only the values the real system
# would read. Assertions come first, as upstream: a removed option's assertion explains
# itself before its value would throw.
#
# The defaults forced are those of our own trees (`stubOwnTrees`, ../nixos-system.nix: the
# stand-ins and the generated repo). An option a real upstream flake declares (disko, agenix,
# sops-nix, home-manager at their pins) is forced only where something defines it
# (`highestPrio` below mkOptionDefault's 1500): upstream's own defaults, such as disko's
# `imageBuilder.kernelPackages = config.boot.kernelPackages`, are read only when the system
# reads them, as in a real evaluation. Attributes starting with `_` in a value (a submodule's
# `_module`; disko's internal `_config`, `_create`, `_pkgs`, … which build its scripts from the
# package set) are not walked either.
{
  config,
  options,
  lib,
  ...
}@args:
let
  # a specialArg of ../nixos-system.nix; a configuration evaluated otherwise (a container's,
  # ./nixos-containers.nix) has none, and forces every default as before
  stubOwnTrees = args.stubOwnTrees or null;
  ours =
    option:
    stubOwnTrees == null
    || lib.any (file: lib.any (tree: lib.hasPrefix tree (toString file)) stubOwnTrees) option.declarations;
  # every option with a definition or a default, except system.build (it holds toplevel) and
  # nixpkgs.pkgs (a whole package set, defined only in VM test nodes: ../testing/read-only-nixpkgs.nix)
  forced = lib.filter (
    option:
    option.isDefined
    && lib.take 2 option.loc != [ "system" "build" ]
    && option.loc != [ "nixpkgs" "pkgs" ]
    && lib.head option.loc != "_module"
    && (ours option || option.highestPrio < 1500)
  ) (lib.collect lib.isOption options);
  # like builtins.deepSeq, except that a package is forced to its drvPath rather than walked,
  # and a submodule's `_module` (its arguments, pkgs among them) is skipped
  forceValue =
    value:
    if lib.isDerivation value then
      builtins.seq value.drvPath true
    # a whole NixOS configuration (containers.<name>.config, ./nixos-containers.nix) is forced
    # through its own toplevel, which forces its defined values and checks its assertions; its
    # options nobody defined are not walked
    else if builtins.isAttrs value && value ? system.build.toplevel then
      builtins.seq value.system.build.toplevel.drvPath true
    else if builtins.isAttrs value then
      builtins.all forceValue (lib.attrValues (lib.filterAttrs (name: _: !lib.hasPrefix "_" name) value))
    else if builtins.isList value then
      builtins.all forceValue value
    else
      builtins.seq value true;
  allValuesForced = builtins.all (option: forceValue option.value) forced;
in
{
  # system.build itself is ./build.nix (a submodule of freeform, once-defined attributes)
  options.system.build.toplevel = lib.mkOption {
    readOnly = true;
    type = lib.types.package;
    description = "The store path that typically represents a NixOS system.";
  };

  config.system.build.toplevel = lib.asserts.checkAssertWarn config.assertions config.warnings (
    builtins.seq allValuesForced (derivation {
      name = "nixos-system-${config.networking.hostName}-stub";
      inherit (config.nixpkgs.hostPlatform) system;
      builder = "/bin/sh";
      args = [
        "-c"
        "echo evaluated > $out"
      ];
      # upstream's systemBuilderArgs pass the boot loader's install script to the builder, so
      # building the system reads it (and fails on a second boot loader: ./activation-scripts.nix)
      installBootLoader = config.system.build.installBootLoader;
    })
  );
}
