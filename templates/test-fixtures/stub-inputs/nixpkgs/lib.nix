let
  genAttrs = names: f: builtins.listToAttrs (map (n: { name = n; value = f n; }) names);
  filterAttrs = pred: set: builtins.listToAttrs (builtins.concatMap (n: if pred n set.${n} then [ { name = n; value = set.${n}; } ] else [ ]) (builtins.attrNames set));

  # module args a NixOS module may destructure; config/options/pkgs are never forced here
  moduleArgs = {
    config = throw "stub nixosSystem: a module forced `config` while computing imports";
    options = { };
    pkgs = { };
    lib = self;
    modulesPath = "/stub-modules";
    inputs = { };
    name = "stub";
  };

  # load a module: a path is imported, a function is called, an attrset is taken as it is
  load =
    m:
    let
      value = if builtins.isPath m then import m else m;
      module = if builtins.isFunction value then value moduleArgs else value;
    in
    if builtins.isString m then { imports = [ ]; } # from modulesPath: part of nixpkgs, not of the repo
    else if builtins.isAttrs module then module
    else throw "stub nixosSystem: ${toString m} is not a module";

  # every file a host's modules import, transitively
  closure = modules: builtins.concatMap (m: [ m ] ++ closure ((load m).imports or [ ])) modules;

  self = {
    inherit genAttrs filterAttrs;
    inherit (builtins) mapAttrs;
    nixosSystem =
      { modules, specialArgs ? { }, ... }:
      let
        all = closure modules;
        platform = builtins.head (builtins.filter (p: p != null) (map (m: ((load m).nixpkgs or { }).hostPlatform or null) all));
      in
      {
        config.system.build.toplevel = builtins.seq (builtins.length all) (derivation {
          name = "stub-toplevel";
          system = platform;
          builder = "/bin/sh";
          args = [ "-c" "echo ok > $out" ];
        });
        modulesImported = builtins.length all;
      };
  };
in
self
