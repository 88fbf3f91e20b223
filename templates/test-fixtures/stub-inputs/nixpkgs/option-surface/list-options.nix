# Every option a branch's surface declares, sub-options of submodules included, as
# { path; files; } (path in lib.showOption form: `users.users.<name>.shell`,
# `services.prometheus.scrapeConfigs.*.job_name`). Read by templates/src/option-surface-audit.test.ts
# to hold each declaration to its row in ./README.md. Only declarations are read: no default
# and no config is forced.
{ lib, branch }:
let
  evaluated = lib.evalModules {
    class = "nixos";
    modules = [ (./. + "/${branch}.nix") ];
    specialArgs = {
      modulesPath = toString ../modules;
      stubBranch = branch;
    };
  };
  walk =
    prefix: options:
    lib.concatLists (
      lib.mapAttrsToList (
        name: value:
        if lib.isOption value then
          let
            sub = value.type.getSubOptions value.loc;
          in
          [
            {
              path = lib.showOption value.loc;
              files = map (file: baseNameOf (toString file)) value.declarations;
            }
          ]
          ++ lib.optionals (sub != { }) (walk value.loc sub)
        else if builtins.isAttrs value && name != "_module" then
          walk (prefix ++ [ name ]) value
        else
          [ ]
      ) options
    );
in
walk [ ] evaluated.options
