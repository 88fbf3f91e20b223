# A stand-in for serokell/deploy-rs (flake.nix): lib.<system>.activate.nixos wraps a NixOS
# system's toplevel; lib.<system>.deployChecks maps `self.deploy` to checks. Upstream checks
# deploy.json against interface.json (jsonschema) and that each profile activates; here the same
# required fields and types (interface.json: generic_settings, node_settings) are asserted at
# evaluation, plus magicRollback and autoRollback being on, which our templates promise.
# packages.<system>.deploy-rs is the CLI the deploy scripts `nix run`.
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
      check =
        cond: msg:
        if cond then true else throw "deploy-rs stand-in: ${msg}";
      # the JSON type of each node field the stand-in checks: interface.json's generic_settings
      # and node_settings (the drift test, templates/src/upstream-inputs.test.ts, compares them
      # with the pinned interface.json); `required` as there
      nodeFields = {
        hostname = "string";
        sshUser = "string";
        user = "string";
        sshOpts = "array";
        magicRollback = "boolean";
        autoRollback = "boolean";
        fastConnection = "boolean";
        interactiveSudo = "boolean";
        profiles = "object";
      };
      profileFields = {
        path = "string";
      };
      jsonTypeOf =
        v:
        if builtins.isString v then
          "string"
        else if builtins.isBool v then
          "boolean"
        else if builtins.isList v then
          "array"
        else if builtins.isAttrs v then
          "object"
        else
          builtins.typeOf v;
      checkFields =
        where: fields: value:
        lib.all (f: check (!(value ? ${f}) || jsonTypeOf value.${f} == fields.${f}) "${where}.${f} must be a ${fields.${f}}") (
          lib.attrNames fields
        );
      checkNode =
        name: node:
        check (builtins.isString (node.hostname or null)) "deploy.nodes.${name}.hostname must be a string"
        && check (builtins.isAttrs (node.profiles or null)) "deploy.nodes.${name}.profiles is missing"
        && check (node.magicRollback or true) "deploy.nodes.${name}.magicRollback is off"
        && check (node.autoRollback or true) "deploy.nodes.${name}.autoRollback is off"
        && checkFields "deploy.nodes.${name}" nodeFields node
        && check (builtins.all builtins.isString (node.sshOpts or [ ])) "deploy.nodes.${name}.sshOpts must be strings"
        && lib.all (p: check (p ? path) "deploy.nodes.${name}.profiles: a profile without path") (lib.attrValues node.profiles);
    in
    {
      # not in the real flake: marks a stand-in (stub nixpkgs: nixos-system.nix), and what it checks
      stubInput = true;
      standIn = { inherit nodeFields profileFields; };
      lib = lib.genAttrs systems (
        system:
        let
          pkgs = nixpkgs.legacyPackages.${system};
        in
        {
          activate.nixos = base: base.config.system.build.toplevel // { deployRsActivate = "nixos"; };
          deployChecks = deploy: {
            deploy-schema =
              assert lib.all lib.id (lib.mapAttrsToList checkNode deploy.nodes);
              pkgs.deploy-rs;
          };
        }
      );
      packages = lib.genAttrs systems (system: {
        deploy-rs = nixpkgs.legacyPackages.${system}.deploy-rs;
        default = nixpkgs.legacyPackages.${system}.deploy-rs;
      });
    };
}
