# A stand-in for zhaofengli/colmena (flake.nix, src/nix/hive/eval.nix): lib.makeHive takes a
# hive (`meta` plus one attrset of modules per node, each with `deployment.*`) and returns what
# the CLI evaluates. Here each node's deployment options are checked with upstream's types
# (src/nix/hive/options.nix: targetHost nullOr str, targetPort nullOr unsigned int, targetUser
# nullOr str, tags listOf str) and exposed as `deploymentConfig`. packages.<system>.colmena is the CLI.
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs =
    { nixpkgs, ... }:
    let
      inherit (nixpkgs) lib;
      systems = [
        "x86_64-linux"
        "aarch64-linux"
        "aarch64-darwin"
      ];
      # `name` is the node's (upstream's default targetHost; the drift test found it missing here)
      deploymentOptions =
        { name, ... }:
        {
        options.deployment = {
          targetHost = lib.mkOption {
            type = lib.types.nullOr lib.types.str;
            default = name;
          };
          targetPort = lib.mkOption {
            type = lib.types.nullOr lib.types.ints.unsigned;
            default = null;
          };
          targetUser = lib.mkOption {
            type = lib.types.nullOr lib.types.str;
            default = "root";
          };
          tags = lib.mkOption {
            type = lib.types.listOf lib.types.str;
            default = [ ];
          };
        };
      };
      # upstream's meta options (src/nix/hive/options.nix, metaOptions): any other is an error there too
      metaOptionNames = [
            "name"
            "description"
            "nixpkgs"
            "nodeNixpkgs"
            "nodeSpecialArgs"
            "machinesFile"
            "specialArgs"
            "allowApplyAll"
          ];
    in
    {
      # not in the real flake: the options this stand-in models, which the drift test
      # (templates/src/upstream-inputs.test.ts) compares with src/nix/hive/options.nix of the pin
      standIn = { inherit deploymentOptions metaOptionNames; };
      # the module system forces this stand-in's defaults (stub nixpkgs: nixos-system.nix)
      stubInput = true;
      lib.makeHive =
        hive:
        let
          nodes = removeAttrs hive [ "meta" "defaults" ];
          deploymentOf =
            name: node:
            (lib.evalModules {
              specialArgs = { inherit name; };
              modules = [
                deploymentOptions
                { config.deployment = node.deployment or { }; }
              ];
            }).config.deployment;
        in
        assert hive ? meta.nixpkgs || throw "colmena stand-in: meta.nixpkgs is required";
        # upstream's meta options (src/nix/hive/options.nix, metaOptions): any other is an error there too
        assert
          lib.subtractLists metaOptionNames (lib.attrNames hive.meta) == [ ]
          || throw "colmena stand-in: unknown meta options ${toString (lib.attrNames hive.meta)}";
        {
          __schema = "v0.5"; # src/nix/hive/eval.nix (colmena 5bf4ce6); the CLI refuses another
          deploymentConfig = lib.mapAttrs deploymentOf nodes;
          inherit nodes;
        };
      packages = lib.genAttrs systems (system: {
        colmena = nixpkgs.legacyPackages.${system}.colmena;
        default = nixpkgs.legacyPackages.${system}.colmena;
      });
    };
}
