# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# NixOS VM tests, one per host of this machine's platform: `checks.<system>.vm-<host>` (flake.nix).
# `nix flake check` builds them on a Linux machine with KVM (`system-features` must list kvm and
# nixos-test); `nix build .#checks.x86_64-linux.vm-NAME -L` runs one. Each boots the host's own
# configuration in QEMU (nixpkgs: pkgs.testers.runNixOSTest, nixos/lib/testing/), without its disk
# layout (disko.enableConfig = false: the VM has its own disk) and without its hardware file, as a
# first deploy finds the machine: no secret copied in yet. It waits for every unit and port the
# host's modules list in stack.vmTest (modules/lib/vm-test-expectations.nix): units active, ports
# answering, and the units that need a secret skipped cleanly rather than failed.
{
  pkgs,
  lib,
  hosts,
  modules,
  specialArgs,
}:
let
  py = builtins.toJSON; # a JSON string is a Python string literal
  script =
    expect:
    lib.concatLines (
      [
        "start_all()"
        ''machine.wait_for_unit("multi-user.target")''
      ]
      ++ map (unit: "machine.wait_for_unit(${py unit})") expect.units
      ++ map (u: "machine.wait_for_unit(${py u.unit}, ${py u.user})") expect.userUnits
      ++ map (p: "machine.wait_for_open_port(${toString p.port}, ${py p.address})") expect.ports
      ++ lib.concatLists (
        lib.mapAttrsToList (
          container: units:
          map (unit: ''machine.wait_until_succeeds(${py "systemctl -M ${container} is-active ${unit}"})'') units
        ) expect.containerUnits
      )
      ++ map (command: "machine.wait_until_succeeds(${py command})") expect.commands
      ++ map (unit: ''
        # ${unit} waits for its secret: skipped by its ExecCondition (systemd's result
        # "exec-condition"), neither failed nor restarting
        machine.wait_until_succeeds(${py "systemctl show -P Result ${unit} | grep -qx exec-condition"})
        machine.fail(${py "systemctl is-failed ${unit}"})'') expect.skippedWithoutSecrets
      ++ lib.concatLists (
        lib.mapAttrsToList (
          container: units:
          map (unit: ''
            # ${unit} in ${container} waits for the container's secret, skipped likewise
            machine.wait_until_succeeds(${py "systemctl -M ${container} show -P Result ${unit} | grep -qx exec-condition"})
            machine.fail(${py "systemctl -M ${container} is-failed ${unit}"})'') units
        ) expect.containerSkippedWithoutSecrets
      )
    );
  vmTest =
    name: host:
    pkgs.testers.runNixOSTest {
      name = "vm-${name}";
      node.specialArgs = specialArgs;
      nodes.machine =
        { config, ... }:
        {
          imports = modules name host;
          # the VM's disk is its own (qemu-vm.nix), and the hardware file describes another machine
          disko.enableConfig = false;
          disabledModules = [ ../${host.under}/${name}/hardware-configuration.nix ];
          virtualisation.memorySize = if config.containers != { } then 4096 else 2048;
          virtualisation.cores = 2;
        };
      testScript = { nodes, ... }: script nodes.machine.stack.vmTest;
    };
in
lib.mapAttrs' (name: host: lib.nameValuePair "vm-${name}" (vmTest name host)) hosts
