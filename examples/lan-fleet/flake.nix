# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
{
  description = "A LAN fleet of NixOS machines, deployed over SSH from any clone";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.05";
    # disko, home-manager, the deployer and the secrets backend are pinned to the commits nixos-stack's
    # CI evaluated these files with (its templates/pins/upstream-inputs.json); `nix flake update`
    # keeps them: to move one, change its commit (or drop it to follow the branch)
    disko = {
      url = "github:nix-community/disko/878ec37d6a8f52c6c801d0e2a2ad554c75b9353c";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    # a commit of the home-manager branch matching the nixpkgs release: release-26.05 for
    # nixos-26.05, master for nixos-unstable (home-manager: docs/manual/nix-flakes/nixos.md)
    home-manager = {
      url = "github:nix-community/home-manager/65258d5c65a250189fde2e35f490d15e064c4c62";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    { self, nixpkgs, disko, home-manager, ... }@inputs:
    let
      inherit (nixpkgs) lib;

      # The commit the hosts are built from: git's, else (dirtyRev: uncommitted changes; `or`
      # for Nix versions without it) the one the deploy scripts record in .nixos-stack/revision
      # when they copy the repo without .git to a machine that builds it.
      revisionFile = ./.nixos-stack/revision;
      revision =
        self.rev or self.dirtyRev or (
          if builtins.pathExists revisionFile then lib.removeSuffix "\n" (builtins.readFile revisionFile) else null
        );

      # host name -> platform and directory, from nixos-stack.json
      hosts = {
        dev-workstation = {
          system = "x86_64-linux";
          under = "targets";
        };
        lab-server = {
          system = "x86_64-linux";
          under = "targets";
        };
        media-center = {
          system = "x86_64-linux";
          under = "targets";
        };
      };

      # hosts are Linux; the formatter, deploy tools and devShell also serve operators on
      # Apple silicon Macs. No x86_64-darwin: nixpkgs 26.05 is its last release (PR #492100)
      # and 26.11 drops it.
      systems = [
        "x86_64-linux"
        "aarch64-linux"
        "aarch64-darwin"
      ];
      forAllSystems = f: lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});

      # deploy.sh and update.sh run `nix develop --command nixos-rebuild …`: the shell's
      # nixos-rebuild-ng must provide bin/nixos-rebuild. Where the package still takes
      # withNgSuffix (default true: bin/nixos-rebuild-ng), it is turned off, as the NixOS module
      # does (nixos/modules/installer/tools/tools.nix); where it has no such argument (after the
      # legacy tool's removal) the binary is nixos-rebuild already, and overriding it would fail.
      # nixpkgs pkgs/by-name/ni/nixos-rebuild-ng/package.nix and python.nix: `executable`.
      nixosRebuild =
        pkgs:
        let
          package = pkgs.nixos-rebuild-ng;
          renamed =
            if lib.functionArgs package.override ? withNgSuffix then
              package.override { withNgSuffix = false; }
            else
              package;
          binary = renamed.meta.mainProgram or null;
        in
        lib.throwIfNot (binary == "nixos-rebuild")
          "devShell: this nixpkgs' nixos-rebuild-ng installs bin/${toString binary}, but deploy.sh and update.sh run nixos-rebuild"
          renamed;

      # a host's modules, less its platform: the VM tests take those (runNixOSTest's nodes get
      # pkgs read-only, nixpkgs.hostPlatform included: nixos/modules/misc/nixpkgs/read-only.nix)
      sharedModules = name: host: [
        {
          # the commit this system was built from (`nixos-version --configuration-revision`)
          system.configurationRevision = revision;
        }
        ./modules/lib/vm-test-expectations.nix
        disko.nixosModules.disko
        home-manager.nixosModules.home-manager
        ./${host.under}/${name}
      ];
      hostModules = name: host: [ { nixpkgs.hostPlatform = host.system; } ] ++ sharedModules name host;

      mkHost =
        name: host:
        lib.nixosSystem {
          specialArgs = { inherit inputs; };
          modules = hostModules name host;
        };
    in
    {
      nixosConfigurations = lib.mapAttrs mkHost hosts;

      # `nix flake check` evaluates every host of nixosConfigurations, whatever its platform
      # (all assertions); it builds only the checks of the current platform, which are the
      # systems of that platform's hosts. --no-build stops short of building them.
      # Each host also gets its VM test (checks/vm-tests.nix), built where KVM is available.
      checks = forAllSystems (
        pkgs:
        let
          hostsHere = lib.filterAttrs (_: host: host.system == pkgs.stdenv.hostPlatform.system) hosts;
        in
        lib.mapAttrs (name: _: self.nixosConfigurations.${name}.config.system.build.toplevel) hostsHere
        // import ./checks/vm-tests.nix {
          inherit pkgs lib;
          hosts = hostsHere;
          modules = sharedModules;
          specialArgs = { inherit inputs; };
        }
      );

      # nixfmt-tree formats the whole tree under `nix fmt` (pkgs/by-name/ni/nixfmt-tree/package.nix)
      formatter = forAllSystems (pkgs: pkgs.nixfmt-tree);

      # the deploy tools, pinned by flake.lock so they match the servers' nixpkgs
      packages = forAllSystems (pkgs: {
        inherit (pkgs) nixos-anywhere;
      });

      devShells = forAllSystems (pkgs: {
        default = pkgs.mkShell {
          packages = [
            pkgs.nixos-anywhere
            (nixosRebuild pkgs)
            pkgs.rsync
            pkgs.openssh
          ];
        };
      });
    };
}
