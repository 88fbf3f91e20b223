# pkgs of the stand-in nixpkgs: every package a template or the surface names is a fake
# derivation (instantiable, never built), plus the few functions our templates call.
# A package missing here fails evaluation with "attribute '<name>' missing": add it to the list.
{ lib, branch }:
system:
let
  hostPlatform = lib.systems.elaborate system;
  fakePackage =
    name:
    derivation {
      inherit name system;
      builder = "/bin/sh";
      args = [
        "-c"
        "echo ${name} > $out"
      ];
    }
    // {
      pname = name;
      meta.mainProgram = name;
    };
  packageNames = [
    # ryantm/agenix modules/age.nix: age.ageBin defaults to "${pkgs.age}/bin/age"; its
    # agenix-install-secrets unit (sysusers) has path = [ pkgs.mount ]
    "age"
    "mount"
    # nixos/modules/services/networking/nats.nix: ExecStart runs ${pkgs.nats-server}/bin/nats-server
    "nats-server"
    # Mic92/sops-nix modules/sops/default.nix: sops.gnupg.package defaults to pkgs.gnupg;
    # pkgs/sops-install-secrets/default.nix (sops.package's default) takes `go`
    "gnupg"
    "go"
    "bash"
    "colmena"
    "coreutils"
    "curl"
    "deploy-rs"
    "findutils"
    "fish"
    "git"
    "gnused"
    "htop"
    "jq"
    "nixfmt-tree"
    "nixos-anywhere"
    "nodejs"
    "openssh"
    "openssl"
    "rsync"
    "shadow"
    "systemd"
    # setpriv (the containers' postgresql-passwords runs psql as postgres)
    "util-linux"
    "xonsh"
    "zsh"
  ];
  # pkgs/by-name/ni/nixos-rebuild-ng: two shapes of the package were read, and which one each
  # release branch has could not be pinned to a commit here, so each branch of the stand-in
  # gets one and the devShell must work with both:
  # - NixOS/nixpkgs package.nix (a8022be3, and the later one that calls python.nix @ aadf251d):
  #   `withNgSuffix ? true`, `executable = if withNgSuffix then "nixos-rebuild-ng" else
  #   "nixos-rebuild"`, the binary and meta.mainProgram are `executable`; the NixOS module
  #   (nixos/modules/installer/tools/tools.nix) overrides it with `withNgSuffix = false`.
  # - Swarsel/nixpkgs@4aa6836a (nixos-unstable just after the 26.05 branch-off, the legacy
  #   tool removed): no withNgSuffix argument, `executable = "nixos-rebuild"`; overriding with
  #   withNgSuffix fails ("called with unexpected argument"), as for any by-name package whose
  #   function has no such argument and no `...`.
  # callPackage makes both overridable (lib.makeOverridable), so `.override` mirrors the
  # function's arguments (lib.functionArgs).
  nixosRebuildNg = {
    "nixos-26.05" = lib.makeOverridable (
      {
        withNgSuffix ? true,
      }:
      let
        executable = if withNgSuffix then "nixos-rebuild-ng" else "nixos-rebuild";
      in
      fakePackage "nixos-rebuild-ng"
      // {
        meta.mainProgram = executable;
      }
    ) { };
    "nixos-unstable" = lib.makeOverridable ({ }: fakePackage "nixos-rebuild-ng" // { meta.mainProgram = "nixos-rebuild"; }) { };
  };
  # login shells carry passthru.shellPath, which types.shellPackage checks (users.users.<name>.shell,
  # users.defaultUserShell: option-surface/user-shells.nix); the paths are those of the packages'
  # passthru (pkgs/shells/bash, by-name zsh, fish, xonsh; pkgs/by-name/sh/shadow: /bin/nologin)
  shells = lib.mapAttrs (name: shellPath: fakePackage name // { inherit shellPath; }) {
    bash = "/bin/bash";
    bashInteractive = "/bin/bash";
    fish = "/bin/fish";
    shadow = "/bin/nologin";
    xonsh = "/bin/xonsh";
    zsh = "/bin/zsh";
  };
  pkgs =
    lib.genAttrs packageNames fakePackage
    // shells
    // {
      nixos-rebuild-ng = nixosRebuildNg.${branch} or (throw "stub nixpkgs: no nixos-rebuild-ng for branch ${branch}");
    }
    // postgresqlPackages
    // functions
    // packageSets;
  # pkgs/servers/sql/postgresql: the majors services.postgresql.package defaults to by
  # system.stateVersion (nixos/modules/services/databases/postgresql.nix: 14 from 22.05 … 17
  # from 25.11, 18 from 26.11 on nixos-unstable; the kinds pin postgresql_17); the module reads
  # psqlSchema (the data directory /var/lib/postgresql/<psqlSchema>) and version
  postgresqlPackages = lib.genAttrs' [ "14" "15" "16" "17" "18" ] (
    major:
    lib.nameValuePair "postgresql_${major}" (
      fakePackage "postgresql_${major}"
      // {
        psqlSchema = major;
        version = "${major}.0";
      }
    )
  );
  # package sets a real module's default reads (option-surface/kernel.nix: boot.kernelPackages,
  # which the real disko module's imageBuilder.kernelPackages defaults to)
  packageSets = {
    linuxPackages = {
      kernel = fakePackage "linux";
    };
  };
  functions = {
  inherit lib;
  # pkgs/top-level/stage.nix: the package set is an attribute of itself, so callPackage passes it
  # to a function taking `pkgs` (Mic92/sops-nix's default.nix: `{ pkgs ? import <nixpkgs> { }, … }`)
  inherit pkgs;
  # pkgs/top-level/all-packages.nix `path = ../..`: the nixpkgs tree; here the stand-in, which
  # holds the two NixOS module files home-manager imports through it (./nixos/modules/misc)
  path = ./.;

  # lib/customisation.nix callPackage: a function (or a file of one) called with the packages
  # it names, plus `args`; a missing argument fails as upstream does
  callPackage =
    fn: args:
    let
      f = if lib.isFunction fn then fn else import fn;
      wanted = builtins.functionArgs f;
      missing = lib.filter (name: !wanted.${name} && !(args ? ${name}) && !(pkgs ? ${name})) (lib.attrNames wanted);
    in
    if missing != [ ] then
      throw "stub callPackage: function called without required argument(s) ${lib.concatStringsSep ", " missing}"
    else
      f (builtins.intersectAttrs wanted pkgs // args);

  # pkgs/build-support/node/build-npm-package (lib.extendMkDerivation over stdenv.mkDerivation):
  # the arguments become attributes of the derivation, as mkDerivation keeps them, so a module
  # can read `npmDepsHash` back; `npmDeps` is the fixed-output fetch of the dependencies
  # (fetchNpmDeps, `hash = npmDepsHash`). Nothing is built: the real build is where a wrong
  # hash shows ("hash mismatch … got:"), and the service module asserts on lib.fakeHash first.
  buildNpmPackage =
    {
      pname,
      version,
      src,
      npmDepsHash ? "",
      ...
    }@args:
    assert lib.isString pname && lib.isString version;
    assert lib.isString npmDepsHash;
    # a path, or a tree such as a flake input (flake = false: an attrset with outPath)
    assert builtins.isPath src || src ? outPath;
    fakePackage pname
    // removeAttrs args [ "meta" ]
    // {
      name = "${pname}-${version}";
      npmDeps = fakePackage "${pname}-${version}-npm-deps" // {
        outputHash = npmDepsHash;
      };
      meta = (args.meta or { }) // {
        mainProgram = pname;
      };
    };

  stdenv = {
    inherit hostPlatform;
    buildPlatform = hostPlatform;
    # pkgs/stdenv/generic: the host platform's predicates (sops-install-secrets reads isLinux)
    inherit (hostPlatform) isLinux isDarwin;
  };

  # pkgs/build-support/go (buildGoModule, one per Go release): Mic92/sops-nix's
  # pkgs/sops-install-secrets/default.nix builds sops.package's default with buildGo125Module
  buildGo125Module =
    { pname, version, ... }@args:
    assert lib.isString pname && lib.isString version;
    fakePackage pname // { name = "${pname}-${version}"; };

  # pkgs/build-support/trivial-builders (writeTextFile, writeText): a file in the store;
  # sops-nix writes its manifest with writeTextFile (modules/sops/manifest-for.nix), its
  # templates with writeText (modules/sops/templates/default.nix)
  writeTextFile =
    { name, text, ... }:
    assert lib.isString name && lib.isString text;
    fakePackage name // { inherit text; };
  writeText =
    name: text:
    assert lib.isString name && lib.isString text;
    fakePackage name // { inherit text; };

  # pkgs/build-support/trivial-builders (writeShellApplication): a package whose bin/<name>
  # runs `text` with `runtimeInputs` on PATH; meta.mainProgram = name, so lib.getExe works
  writeShellApplication =
    {
      name,
      text,
      runtimeInputs ? [ ],
      ...
    }:
    assert lib.isString text;
    assert lib.all lib.isDerivation runtimeInputs;
    fakePackage name;

  # pkgs/pkgs-lib/formats.nix (Swarsel/nixpkgs@4aa6836a): the `type` of a format is real (the
  # surface's settings options use it, as upstream modules do: a second, different definition
  # of one JSON/YAML leaf is a conflict, "has conflicting definition values"); `generate` is a
  # fake file. json's type is lib.types.json, yaml's serializableValueWith "YAML 1.1".
  formats = {
    json =
      { }:
      {
        type = lib.types.json;
        generate = name: _value: fakePackage name;
      };
    yaml =
      { }:
      {
        type = lib.types.serializableValueWith { typeName = "YAML 1.1"; };
        generate = name: _value: fakePackage name;
      };
  };

  # pkgs/build-support/trivial-builders (writeShellScript name text): a script in the store
  writeShellScript =
    name: text:
    assert lib.isString name && lib.isString text;
    fakePackage name;

  # pkgs/build-support/buildenv: one package linking `paths` together
  buildEnv =
    { name, paths, ... }:
    assert lib.all lib.isDerivation paths;
    fakePackage name;

  # pkgs/build-support/testers/default.nix: NixOS VM tests, evaluated (never booted) by ./testing
  testers.runNixOSTest = import ./testing/run-nixos-test.nix { inherit lib branch system; };

  # pkgs/build-support/mkshell: a derivation; `packages` must be packages
  mkShell =
    {
      packages ? [ ],
      ...
    }:
    assert lib.all lib.isDerivation packages;
    fakePackage "nix-shell" // { inherit packages; };
  };
in
pkgs
