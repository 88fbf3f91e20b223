/** add-service and remove-service through the BUILT bin (run `pnpm build` first), on a VPS repo the bin generated and the user edited. */
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const BIN = new URL("../../dist/bundle/bin.cjs", import.meta.url).pathname;
const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u me@laptop";
const MY_CONFIG = "{ pkgs, ... }:\n{\n  # mine\n  environment.systemPackages = [ pkgs.htop ];\n}\n";

let cwd: string;
let repo: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), "nixos-stack-service-cli-"));
  repo = join(cwd, "repo");
});
afterEach(() => rm(cwd, { recursive: true, force: true }));

const bin = (args: string[], dir = repo) => execa("node", [BIN, ...args], { cwd: dir, reject: false, timeout: 30_000, env: { HOME: cwd, NO_COLOR: "1" } });
const read = (path: string) => readFile(join(repo, path), "utf8");

async function snapshot(dir = repo): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out[relative(dir, join(e.parentPath, e.name))] = await readFile(join(e.parentPath, e.name), "utf8");
  return out;
}

/** A repo from `create-nixos-stack --yes` whose user files were edited: a host's configuration.nix, .gitignore, a reformatted manifest. */
async function editedRepo(): Promise<void> {
  expect((await bin(["repo", "--yes", "--no-git", "--ssh-key", KEY], cwd)).exitCode).toBe(0);
  await writeFile(join(repo, "hosts/vps-arm/configuration.nix"), MY_CONFIG);
  await writeFile(join(repo, ".gitignore"), `${await read(".gitignore")}/my-notes/\n`);
  await writeFile(join(repo, "nixos-stack.json"), JSON.stringify(JSON.parse(await read("nixos-stack.json")), null, 4));
}

const ADD = ["add-service", "--kind", "gateway", "--host", "vps-arm", "--name", "relay", "--user", "relay", "--port", "18800"];

describe.runIf(existsSync(BIN))("create-nixos-stack add-service / remove-service", () => {
  it("adds a gateway service to a host: the host's default.nix wires it, the module is there, user files stay byte for byte", async () => {
    await editedRepo();
    const before = await snapshot();
    const r = await bin(ADD);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/update\s+hosts\/vps-arm\/default\.nix/);
    const host = await read("hosts/vps-arm/default.nix");
    expect(host).toMatch(/relay = \{\s*port = 18800;\s*user = "relay";\s*\};/);
    expect(host).toContain("../../modules/services/gateway.nix");
    expect(existsSync(join(repo, "modules/services/gateway.nix"))).toBe(true);
    expect(await read("hosts/vps-x86/default.nix")).toBe(before["hosts/vps-x86/default.nix"]); // another host is not touched
    for (const path of ["hosts/vps-arm/configuration.nix", "hosts/vps-x86/configuration.nix", ".gitignore", "package.json"]) expect(await read(path), path).toBe(before[path]);
    const manifest = await read("nixos-stack.json");
    expect(JSON.parse(manifest).hosts[1].services.at(-1)).toEqual({ kind: "gateway", name: "relay", user: "relay", port: 18800 });
    expect(manifest).toMatch(/\n {16}\},\n {16}\{\n {20}"kind": "gateway",\n {20}"name": "relay",/); // the user's four-space layout
    // the repo is in sync with its manifest afterwards
    const sync = await bin(["--sync", "--dry-run"]);
    expect(sync.stdout).not.toMatch(/^\s+(create|update|CONFLICT)\s/m);
  });

  it("--dry-run prints the plan and writes nothing", async () => {
    await editedRepo();
    const before = await snapshot();
    const r = await bin([...ADD, "--dry-run"]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Dry run: add-service relay on vps-arm/);
    expect(r.stdout).toMatch(/update\s+hosts\/vps-arm\/default\.nix/);
    expect(r.stdout).toContain("Nothing was written.");
    expect(await snapshot()).toEqual(before);
  });

  const gw = (host: string, name: string, ...more: string[]) => ["add-service", "--kind", "gateway", "--host", host, "--name", name, ...more];
  it.each([
    [gw("vps-9", "relay"), 1, `--host: "vps-9" is not a host of nixos-stack.json; its hosts are vps-x86, vps-arm`],
    [gw("vps-arm", "gateway", "--user", "relay", "--port", "18800"), 1, `hosts[1].services[1].name: "gateway" — is already the name of services[0] on this host`],
    [gw("vps-arm", "relay", "--user", "relay", "--port", "18789"), 1, `hosts[1].services[1].port: 18789 — is also hosts[1].services[0].port; give each its own port`],
    [gw("vps-arm", "relay", "--user", "relay", "--port", "2222"), 1, `hosts[1].deploy.sshPort: 2222 — is also hosts[1].services[1].port`],
    [gw("vps-arm", "relay", "--port", "18800"), 1, `hosts[1].services[1].user: "gateway" — is already the user of services[0] on this host`],
    [gw("vps-arm", "relay", "--user", "admin", "--port", "18800"), 1, `hosts[1].services[1].user: "admin" — is admins[0]`],
    [gw("vps-arm", "Relay_1", "--user", "relay", "--port", "18800"), 1, `hosts[1].services[1].name: "Relay_1" — use lowercase letters`],
    [gw("vps-arm", "relay", "--port", "eighty"), 2, `--port: "eighty" is not a whole number`],
    [["add-service", "--kind", "gateway", "--host", "vps-arm"], 2, "--name is required: nothing can be asked here"],
    [["add-service", "--kind", "cron", "--host", "vps-arm", "--name", "x"], 2, `"cron" is not a service kind; the kinds are gateway, monitoring, backup, home-service, node-app`],
    [["remove-service", "--host", "vps-arm", "--name", "nope"], 1, `--name: "nope" is not a service of vps-arm; its services are gateway`],
    [["remove-service", "--host", "vps-9", "--name", "gateway"], 1, `--host: "vps-9" is not a host of nixos-stack.json`],
    [["remove-service", "--name", "gateway"], 2, "--host and --name are required"],
  ])("%j exits %i with a message naming the field, and changes nothing", async (args, code, message) => {
    await editedRepo();
    const before = await snapshot();
    const r = await bin(args as string[]);
    expect(r.exitCode, r.stderr).toBe(code);
    expect(r.stderr).toContain(message);
    expect(await snapshot()).toEqual(before);
  });

  it("remove-service takes the service out of its host; the last one deletes its untouched module and keeps a hand-edited file, saying so", async () => {
    await editedRepo();
    expect((await bin(ADD)).exitCode).toBe(0);
    const r = await bin(["remove-service", "--host", "vps-arm", "--name", "relay"]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/update\s+hosts\/vps-arm\/default\.nix/);
    expect(await read("hosts/vps-arm/default.nix")).not.toContain("relay");
    expect(JSON.parse(await read("nixos-stack.json")).hosts[1].services.map((s: { name: string }) => s.name)).toEqual(["gateway"]);
    expect(await read("hosts/vps-arm/configuration.nix")).toBe(MY_CONFIG);

    // the last gateway of the repo gone: its untouched module is deleted, a hand-edited file of it kept and named
    expect((await bin(["remove-service", "--host", "vps-x86", "--name", "gateway"])).exitCode).toBe(0);
    expect(existsSync(join(repo, "modules/services/gateway.nix"))).toBe(true); // vps-arm still runs one
    await writeFile(join(repo, "modules/services/gateway-placeholder.js"), `${await read("modules/services/gateway-placeholder.js")}// mine\n`);
    const last = await bin(["remove-service", "--host", "vps-arm", "--name", "gateway"]);
    expect(last.exitCode, last.stderr).toBe(0);
    expect(last.stdout).toMatch(/delete\s+modules\/services\/gateway\.nix/);
    expect(existsSync(join(repo, "modules/services/gateway.nix"))).toBe(false);
    expect(last.stderr).toContain("no longer generated, but edited by hand, so left in place: modules/services/gateway-placeholder.js");
    expect(await read("modules/services/gateway-placeholder.js")).toMatch(/\/\/ mine\n$/);
    expect(await read("hosts/vps-arm/default.nix")).not.toContain("modules/services/gateway.nix");
  });
});
