import { describe, expect, it } from "vitest";
import type { StackInput } from "@nixos-stack/core";
import { renderStack } from "../index.js";
import { fleetInput } from "../test-support/fleet-repo.js";
import { validStack, vpsStack } from "../test-support/render-to-disk.js";

const FLEET_FILES = ["deploy.sh", "deploy-all.sh", "rollback.sh", "status.sh", "discover-targets.sh", "deploy/fleet-lib.sh", "deploy/README.md"];

function render(input: StackInput) {
  const tree = renderStack(validStack(input));
  return { tree, file: (path: string) => tree.get(path)?.content ?? "" };
}

describe("the fleet-scripts feature", () => {
  it("writes the fleet scripts, executable, for a stack with fleet targets", () => {
    const { tree } = render(fleetInput());
    for (const path of FLEET_FILES) {
      const file = tree.get(path);
      expect(file, path).toBeDefined();
      expect(file!.ownership, path).toBe("managed");
      expect(file!.mode, path).toBe(path.startsWith("deploy/") ? 0o644 : 0o755);
    }
  });

  it("leaves a VPS stack as it was: no fleet scripts, the inventory without the fleet block", () => {
    const tree = renderStack(vpsStack());
    for (const path of FLEET_FILES) expect(tree.has(path), path).toBe(false);
    const inventory = tree.get("deploy/inventory.sh")!.content;
    expect(inventory).not.toMatch(/load_target|STACK_DEPLOYER|HOST_USER/);
    // it still ends with the services' secrets lists (gateways, env files), as before the fleet block existed
    expect(inventory.trimEnd().split("\n").at(-1)).toMatch(/^STACK_ENV_FILES=\(.*\)$/);
  });

  it("applies as soon as one host has a fleet profile, next to VPS hosts", () => {
    const input = fleetInput();
    input.hosts = [{ name: "vps-x86", profile: "vps" }, { ...input.hosts[0]! }];
    expect(render(input).tree.has("deploy-all.sh")).toBe(true);
  });

  it("a fleet gets neither the VPS preset's bootstrap.sh (disko, which LAN targets lack) nor update.sh (deploy.sh does its job), and its README and docs name neither", () => {
    const { tree, file } = render(fleetInput());
    expect(tree.has("bootstrap.sh")).toBe(false);
    expect(tree.has("update.sh")).toBe(false);
    for (const path of ["README.md", "deploy/README.md", "deploy.sh", "docs/bootstrap.md", "docs/troubleshooting.md", "docs/recovery.md"]) {
      expect(file(path), path).not.toMatch(/(bootstrap|update)\.sh/);
    }
    expect(file("README.md")).toContain("./deploy-all.sh");
    expect(file("README.md")).toContain("targets/NAME/configuration.nix");
    expect(file("README.md")).not.toContain("hosts/NAME/configuration.nix");
  });

  it("the bootstrap guide's nixos-anywhere route fits targets without a disko layout: install and reboot phases only, the pinned CLI, file systems in the hardware configuration", () => {
    const guide = render(fleetInput()).file("docs/bootstrap.md");
    const anywhere = guide.split("\n").filter((line) => line.includes("nixos-anywhere --"));
    // the default phases (kexec,disko,…) need system.build.diskoScript, which fleet targets lack
    expect(anywhere).toEqual([expect.stringContaining("`nix run .#nixos-anywhere -- --phases install,reboot --flake .#NAME root@ADDRESS`")]);
    expect(guide).not.toContain("github:nix-community/nixos-anywhere");
    // --generate-hardware-config runs --no-filesystems: the placeholders would step aside for nothing
    expect(anywhere[0]).not.toContain("--generate-hardware-config");
    expect(guide).toContain("nixos-generate-config --root /mnt --show-hardware-config > targets/NAME/hardware-configuration.nix");
  });

  it('sudo "password": the bootstrap guide sets the password before the first reboot (nixos-anywhere without its reboot phase, then passwd in /mnt, then reboot)', () => {
    const guide = render(fleetInput({ sudo: "password" })).file("docs/bootstrap.md");
    const install = guide.indexOf("`nix run .#nixos-anywhere -- --phases install --flake .#NAME root@ADDRESS`");
    const passwd = guide.indexOf("`ssh -t root@ADDRESS nixos-enter --root /mnt -c 'passwd alice'`");
    const reboot = guide.indexOf("`ssh root@ADDRESS reboot`");
    expect(install).toBeGreaterThan(-1);
    expect(passwd).toBeGreaterThan(install);
    expect(reboot).toBeGreaterThan(passwd);
    // no route reboots before the password: no reboot phase anywhere
    expect(guide).not.toMatch(/--phases [a-z,]*reboot/);
    expect(guide).toContain("**Set it before the machine first boots the installed\nsystem**");
    // keys only: nothing to set, so nixos-anywhere may reboot by itself
    expect(render(fleetInput({ sudo: "nopasswd" })).file("docs/bootstrap.md")).toContain("--phases install,reboot --flake .#NAME");
  });

  it("a repo with VPS hosts and LAN targets keeps bootstrap.sh and update.sh for the VPS hosts, and documents both", () => {
    const input = fleetInput();
    input.hosts = [{ name: "vps-x86", profile: "vps" }, { ...input.hosts[0]! }];
    const { tree, file } = render(input);
    expect(tree.has("bootstrap.sh") && tree.has("update.sh")).toBe(true);
    expect(file("README.md")).toContain("./bootstrap.sh --host IP");
    expect(file("README.md")).toContain("./deploy-all.sh");
  });

  it("puts each target's deploy user and tags, the deployer and sudo into the inventory, shell-quoted", () => {
    const { file } = render(fleetInput({ deployer: "deploy-rs", sudo: "password" }));
    const inventory = file("deploy/inventory.sh");
    expect(inventory).toContain("STACK_NAME=lan\nSTACK_DEPLOYER=deploy-rs\nSTACK_SUDO=password\n");
    expect(inventory).toContain("    lab) HOST_USER=alice HOST_TAGS='lab always-on' ;;\n");
    expect(inventory).toContain("    media) HOST_USER=root HOST_TAGS=lab ;;\n");
    expect(inventory).toContain("    nas) HOST_USER=root HOST_TAGS='' ;;\n");
  });

  it.each([
    ["nixos-rebuild", "nix develop --command nixos-rebuild", ["nix run .#deploy-rs", "colmena apply"]],
    ["deploy-rs", "nix run .#deploy-rs -- .#TARGET", ["nix develop --command", "colmena apply"]],
    ["colmena", "nix run .#colmena -- apply ACTION --on TARGET", ["nix run .#deploy-rs", "nix develop --command"]],
  ] as const)("deploy/README.md explains the %s way, and only that one", (deployer, shown, hidden) => {
    const readme = render(fleetInput({ deployer })).file("deploy/README.md");
    expect(readme).toContain(`This fleet deploys with **${deployer}**`);
    expect(readme).toContain(shown);
    for (const other of hidden) expect(readme).not.toContain(other);
    // no blank-line runs left by the sections that were left out
    expect(readme).not.toMatch(/\n\n\n/);
  });
});
