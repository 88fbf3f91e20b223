/** The edit pipeline on a real generated VPS repo (in process): add-target and remove-target end to end. */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StackError } from "@nixos-stack/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addTarget } from "../add-target/add-target.js";
import { removeTarget } from "../remove-target/remove-target.js";
import { snapshot, writeRepo } from "../test-support/repo.js";
import { formatEditResult } from "./format-edit.js";
import { removeFromArray } from "./json-text.js";

let parent: string;
let dir: string;
beforeEach(async () => {
  parent = await mkdtemp(join(tmpdir(), "nixos-stack-edit-"));
  dir = join(parent, "repo");
  await writeRepo(dir);
});
afterEach(() => rm(parent, { recursive: true, force: true }));

const read = (path: string) => readFile(join(dir, path), "utf8");
const MY_CONFIG = "{ pkgs, ... }:\n{\n  # my own settings\n  environment.systemPackages = [ pkgs.htop ];\n}\n";

/** Runs `edit`, expects it to throw a StackError with `message`, and the repo to be byte-identical. */
async function expectRefused(edit: () => Promise<unknown>, message: string) {
  const before = await snapshot(dir);
  const error = await edit().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StackError);
  expect((error as Error).message).toContain(message);
  expect(await snapshot(dir)).toEqual(before);
}

describe("add-target", () => {
  it("writes the new host's files, re-renders flake, inventory and README, and leaves user files byte for byte", async () => {
    await writeFile(join(dir, "hosts/vps-x86/configuration.nix"), MY_CONFIG);
    const manifestBefore = await read("nixos-stack.json");
    const before = await snapshot(dir);

    const result = await addTarget(dir, { name: "vps-3", address: "203.0.113.12" });
    expect(result.written).toBe(true);

    const changed = result.plan.entries.filter((e) => e.action !== "unchanged" && e.action !== "keep-user-edit").map((e) => `${e.action} ${e.path}`);
    expect(changed.sort()).toEqual(["create hosts/vps-3/configuration.nix", "create hosts/vps-3/default.nix", "update .github/workflows/check.yml", "update README.md", "update deploy/inventory.sh", "update flake.nix", "update nixos-stack.json"]);
    expect(await read("flake.nix")).toMatch(/ vps-3 = \{\s*system = "x86_64-linux";/);
    expect(await read("deploy/inventory.sh")).toMatch(/vps-3\) HOST_SYSTEM=x86_64-linux .*HOST_ADDRESS=203\.0\.113\.12/);
    expect(await read("README.md")).toContain("| vps-3 | x86\\_64-linux | vps | — | root:2222 | 203.0.113.12 | — |");
    expect(await read("hosts/vps-3/default.nix")).toContain("sshPort = 2222;");

    // every file the plan did not name (but the lock of hashes) is byte-identical, the user's configuration.nix among them
    const after = await snapshot(dir);
    for (const [path, content] of before) if (path !== ".nixos-stack/lock.json" && !changed.some((c) => c.endsWith(` ${path}`))) expect(after.get(path), path).toBe(content);
    expect(after.get("hosts/vps-x86/configuration.nix")).toBe(MY_CONFIG);
    // the manifest is the user's text plus one host: taking it out again gives the old text back
    expect(removeFromArray(await read("nixos-stack.json"), ["hosts"], 2)).toBe(manifestBefore);
    expect(JSON.parse(await read("nixos-stack.json")).hosts[2]).toEqual({
      name: "vps-3",
      system: "x86_64-linux",
      profile: "vps",
      deploy: { address: "203.0.113.12", sshPort: 2222 },
      disk: { device: "/dev/sda" },
      services: [],
    });
  });

  it("takes SSH port and disk from the repo's first host, and says the new VPS runs no services", async () => {
    const manifest = JSON.parse(await read("nixos-stack.json"));
    manifest.hosts[0].deploy.sshPort = 2200;
    manifest.hosts[0].disk.device = "/dev/vda";
    await writeFile(join(dir, "nixos-stack.json"), JSON.stringify(manifest, null, 4));
    const result = await addTarget(dir, { name: "vps-3", system: "aarch64-linux" });
    const host = JSON.parse(await read("nixos-stack.json")).hosts[2];
    expect(host).toMatchObject({ system: "aarch64-linux", deploy: { sshPort: 2200 }, disk: { device: "/dev/vda" } });
    expect(host.deploy.address).toBeUndefined();
    const report = formatEditResult(result);
    expect(report.out).toContain("vps-3 runs no services (the other hosts run gateway)");
    expect(report.out).toContain("./bootstrap.sh --config vps-3 --host <its-ip> --system arm");
    // the edit also carries out the change to hosts[0] the user had made to the manifest, like a sync
    expect(report.out).toContain("git add -A .github/workflows/check.yml README.md deploy/inventory.sh flake.nix hosts/vps-3/configuration.nix hosts/vps-3/default.nix hosts/vps-x86/default.nix nixos-stack.json && git commit -m 'add-target vps-3'");
  });

  it("a fleet target's note points to docs/bootstrap.md and deploy.sh, which a fleet repo has (it has no bootstrap.sh)", async () => {
    const fleet = await readFile(new URL("../../../examples/lan-fleet/nixos-stack.json", import.meta.url), "utf8");
    await rm(dir, { recursive: true, force: true });
    await writeRepo(dir, fleet);
    const report = formatEditResult(await addTarget(dir, { name: "nas", system: "x86_64-linux", address: "192.0.2.40", profile: "server" }));
    expect(report.out).toContain("Install NixOS on it (docs/bootstrap.md), commit targets/nas/hardware-configuration.nix, then deploy: ./deploy.sh nas ");
    expect(report.out).not.toContain("bootstrap.sh");
    await expect(read("bootstrap.sh")).rejects.toThrow(/ENOENT/);
  });

  it("refuses a duplicate name, naming the new entry and the host it clashes with; nothing changes", async () => {
    await expectRefused(() => addTarget(dir, { name: "vps-arm" }), `hosts[2].name: "vps-arm" — is already the name of hosts[1]; host names must be unique`);
  });

  it("refuses an invalid name or address the same way", async () => {
    await expectRefused(() => addTarget(dir, { name: "Lab_1" }), `hosts[2].name: "Lab_1" — use lowercase letters, digits and '-'`);
    await expectRefused(() => addTarget(dir, { name: "lab", address: "bad host!" }), `hosts[2].deploy.address: "bad host!" — use an IPv4/IPv6 address`);
    await expectRefused(() => addTarget(dir, { name: "lab", address: "203.0.113.10" }), `hosts[2].deploy.address: "203.0.113.10" — is also hosts[0].deploy.address, with the same SSH port 2222`);
  });

  it("--dry-run plans the same change and writes nothing", async () => {
    const before = await snapshot(dir);
    const result = await addTarget(dir, { name: "vps-3" }, { dryRun: true });
    expect(result.written).toBe(false);
    expect(result.plan.entries.filter((e) => e.action === "create").map((e) => e.path)).toEqual(["hosts/vps-3/configuration.nix", "hosts/vps-3/default.nix"]);
    expect(formatEditResult(result, { dryRun: true }).out).toContain("Nothing was written.");
    expect(await snapshot(dir)).toEqual(before);
  });

  it("a hand-edited generated file stops the whole edit: nothing is written, not even the manifest", async () => {
    await writeFile(join(dir, "flake.nix"), `${await read("flake.nix")}# my edit\n`);
    const before = await snapshot(dir);
    const result = await addTarget(dir, { name: "vps-3" });
    expect(result.written).toBe(false);
    expect(await snapshot(dir)).toEqual(before);
    const report = formatEditResult(result);
    expect(report.exitCode).toBe(1);
    expect(report.err).toContain("generated files edited by hand: flake.nix. Nothing was written");
  });

  it("starts only from a valid manifest, and says which", async () => {
    await rm(join(dir, "nixos-stack.json"));
    await expect(addTarget(dir, { name: "lab" })).rejects.toThrow(/nixos-stack\.json: not found; run this inside a nixos-stack repo/);
    await writeFile(join(dir, "nixos-stack.json"), `{ "name": "x", "admins": [], "hosts": [] }`);
    await expect(addTarget(dir, { name: "lab" })).rejects.toThrow(/admins: \[\] — add at least one admin[\s\S]*Fix nixos-stack.json first \(nothing was changed\)/);
  });
});

describe("remove-target", () => {
  it("deletes the host's untouched generated files, keeps the user's, and re-renders the rest", async () => {
    await writeFile(join(dir, "hosts/vps-arm/configuration.nix"), MY_CONFIG);
    const result = await removeTarget(dir, "vps-arm");
    expect(result.plan.entries.filter((e) => e.action === "delete").map((e) => e.path)).toEqual(["hosts/vps-arm/default.nix"]);
    expect(result.userFilesKept).toEqual(["hosts/vps-arm/configuration.nix"]);
    expect(await read("hosts/vps-arm/configuration.nix")).toBe(MY_CONFIG);
    expect(await read("flake.nix")).not.toContain("vps-arm");
    expect(await read("deploy/inventory.sh")).not.toContain("vps-arm");
    expect(JSON.parse(await read("nixos-stack.json")).hosts.map((h: { name: string }) => h.name)).toEqual(["vps-x86"]);
    expect(formatEditResult(result).out).toContain("Your own files stay: hosts/vps-arm/configuration.nix");
  });

  it("keeps a generated file of the host that was edited by hand, and says so", async () => {
    await writeFile(join(dir, "hosts/vps-arm/default.nix"), "# mine now\n{ }\n");
    const result = await removeTarget(dir, "vps-arm");
    expect(result.written).toBe(true);
    expect(await read("hosts/vps-arm/default.nix")).toBe("# mine now\n{ }\n");
    expect(formatEditResult(result).err).toContain("no longer generated, but edited by hand, so left in place: hosts/vps-arm/default.nix");
  });

  it("add then remove gives back the same repo, byte for byte", async () => {
    const before = await snapshot(dir);
    await addTarget(dir, { name: "vps-3" });
    await removeTarget(dir, "vps-3");
    const after = await snapshot(dir);
    // the new host's configuration.nix is the user's from the moment it exists: it stays
    expect(after.get("hosts/vps-3/configuration.nix")).toBeDefined();
    after.delete("hosts/vps-3/configuration.nix");
    expect(after).toEqual(before);
  });

  it("refuses an unknown host and the last host; nothing changes", async () => {
    await expectRefused(() => removeTarget(dir, "nope"), `--name: "nope" is not a host of nixos-stack.json; its hosts are vps-x86, vps-arm`);
    await removeTarget(dir, "vps-arm");
    await expectRefused(() => removeTarget(dir, "vps-x86"), `--name: "vps-x86" is the only host; a repo needs at least one`);
  });
});
