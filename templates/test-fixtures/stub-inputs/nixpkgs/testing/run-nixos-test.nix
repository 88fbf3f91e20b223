# pkgs.testers.runNixOSTest of the stand-in nixpkgs (pkgs/build-support/testers/default.nix:
# nixos.runTest with hostPkgs = pkgs and node.pkgs = pkgsLinux; nixos/lib/testing/nodes.nix).
# Nothing boots here: each node is evaluated as a NixOS system of this branch's option surface,
# with what the test framework adds to every node (./qemu-vm.nix: the VM's own file systems and
# boot device; ./read-only-nixpkgs.nix: node.pkgs makes nixpkgs.* read-only), its assertions are
# checked and its defined values forced (through system.build.toplevel), and the test script is
# evaluated (a string, or a function of the evaluated nodes). The result is a fake derivation
# that depends on every node's toplevel, so `nix flake check` forces all of it; `nodes` and
# `testScript` stay readable for tests.
{ lib, branch, system }:
test:
let
  # the real argument is a test module; the attribute-set form (what our flakes pass) is read
  t = if lib.isFunction test then throw "stub runNixOSTest: pass the test as an attribute set" else test;
  known = [
    "name"
    "nodes"
    "testScript"
    "node"
    "globalTimeout"
  ];
  unknown = lib.subtractLists known (lib.attrNames t);
  evaluated = lib.mapAttrs (
    name: node:
    lib.nixosSystem {
      specialArgs = t.node.specialArgs or { };
      modules = [
        ./qemu-vm.nix
        ./read-only-nixpkgs.nix
        {
          # nixos/lib/testing/network.nix
          networking.hostName = lib.mkDefault name;
          nixpkgs.pkgs = import ../fake-packages.nix { inherit lib branch; } system;
        }
        node
      ];
    }
  ) t.nodes;
  nodes = lib.mapAttrs (_: s: s.config) evaluated;
  testScript = if lib.isFunction t.testScript then t.testScript { inherit nodes; } else t.testScript;
in
assert lib.assertMsg (unknown == [ ]) "stub runNixOSTest: options this stand-in does not model: ${toString unknown}";
assert lib.assertMsg (builtins.isString t.name) "runNixOSTest: name must be a string";
assert lib.assertMsg (builtins.isString testScript) "runNixOSTest: testScript must be a string (or a function of nodes returning one)";
derivation {
  name = "vm-test-run-${t.name}";
  inherit system;
  builder = "/bin/sh";
  args = [
    "-c"
    "echo tested > $out"
  ];
  nodes = lib.mapAttrsToList (_: s: s.config.system.build.toplevel) evaluated;
  inherit testScript;
}
// {
  inherit nodes testScript;
}
