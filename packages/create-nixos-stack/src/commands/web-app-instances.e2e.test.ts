/** add-service --kind web-app, add-instance and remove-instance through the BUILT bin (run `pnpm build` first), on a repo the user edited. */
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
  cwd = await mkdtemp(join(tmpdir(), "nixos-stack-web-app-cli-"));
  repo = join(cwd, "repo");
});
afterEach(() => rm(cwd, { recursive: true, force: true }));

const bin = (args: string[], dir = repo) => execa("node", [BIN, ...args], { cwd: dir, reject: false, timeout: 30_000, env: { HOME: cwd, NO_COLOR: "1" } });
const read = (path: string) => readFile(join(repo, path), "utf8");
const manifest = async () => JSON.parse(await read("nixos-stack.json"));

async function snapshot(dir = repo): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out[relative(dir, join(e.parentPath, e.name))] = await readFile(join(e.parentPath, e.name), "utf8");
  return out;
}

const SCHOOL = ["add-service", "--kind", "web-app", "--host", "vps-x86", "--name", "school", "--domain", "school.example.org", "--acme-email", "ops@example.org", "--accept-acme-terms", "--instances", "class-9a:8081:9a,class-9b:8082:9b"];

async function schoolRepo(): Promise<void> {
  expect((await bin(["repo", "--yes", "--no-git", "--ssh-key", KEY], cwd)).exitCode).toBe(0);
  await writeFile(join(repo, "hosts/vps-x86/configuration.nix"), MY_CONFIG);
  const r = await bin(SCHOOL);
  expect(r.stderr).toBe("");
  expect(r.exitCode).toBe(0);
}

describe.runIf(existsSync(BIN))("web-app through the CLI", () => {
  it("add-service --kind web-app writes the module, docs and the user's backend, frontend; the instances reach the host; the user's file stays", async () => {
    await schoolRepo();
    const host = await read("hosts/vps-x86/default.nix");
    expect(host).toContain("../../modules/services/school.nix");
    expect(host).toMatch(/class-9a = \{\n\s+port = 8081;\n\s+subdomain = "9a";/);
    for (const path of ["modules/services/school.nix", "docs/services/school.md", "pkgs/school/default.nix", "pkgs/school/frontend/index.html"]) expect(existsSync(join(repo, path)), path).toBe(true);
    expect(await read("hosts/vps-x86/configuration.nix")).toBe(MY_CONFIG);
  });

  it("add-instance picks the next free port and the name as subdomain; --port and --subdomain are taken as given", async () => {
    await schoolRepo();
    expect((await bin(["add-instance", "--service", "school", "--name", "class-9c"])).exitCode).toBe(0);
    expect((await bin(["add-instance", "--service", "school", "--name", "class-9d", "--port", "9000", "--subdomain", "9d"])).exitCode).toBe(0);
    const instances = (await manifest()).hosts[0].services.find((s: { kind: string }) => s.kind === "web-app").instances;
    expect(instances.slice(2)).toEqual([
      { name: "class-9c", port: 8083, subdomain: "class-9c" },
      { name: "class-9d", port: 9000, subdomain: "9d" },
    ]);
    expect(await read("hosts/vps-x86/default.nix")).toMatch(/class-9d = \{\n\s+port = 9000;\n\s+subdomain = "9d";/);
    expect(await read("hosts/vps-x86/configuration.nix")).toBe(MY_CONFIG);
  });

  it("the next free port skips ports other services of the host use", async () => {
    await schoolRepo();
    // the VPS preset's gateway listens on 18789; put an instance just below it
    expect((await bin(["add-instance", "--service", "school", "--name", "high", "--port", "18788"])).exitCode).toBe(0);
    expect((await bin(["add-instance", "--service", "school", "--name", "next"])).exitCode).toBe(0);
    const instances = (await manifest()).hosts[0].services.find((s: { kind: string }) => s.kind === "web-app").instances;
    expect(instances.at(-1)).toEqual({ name: "next", port: 18790, subdomain: "next" });
  });

  for (const [what, args, message] of [
    ["a taken port", ["--name", "class-9c", "--port", "8081"], `instances[2].port: 8081 — is also hosts[0].services[1].instances[0].port`],
    ["a taken subdomain", ["--name", "class-9c", "--subdomain", "9a"], `instances[2].subdomain: "9a" — is also instances[0]'s subdomain (class-9a); give class-9c its own`],
    ["a taken name", ["--name", "class-9a", "--port", "8090"], `instances[2].name: "class-9a" — is also instances[0]'s name (class-9a)`],
    ["the SSH port", ["--name", "class-9c", "--port", "2222"], "hosts[0].deploy.sshPort: 2222 — is also hosts[0].services[1].instances[2].port"],
    ["an unknown service", ["--name", "x1"], `--service: "nope" is not a web-app service`],
  ] as const) {
    it(`add-instance with ${what} is refused with the field named, and nothing changes`, async () => {
      await schoolRepo();
      const before = await snapshot();
      const service = what === "an unknown service" ? "nope" : "school";
      const r = await bin(["add-instance", "--service", service, ...args]);
      expect(r.exitCode).not.toBe(0);
      expect(r.stderr).toContain(message);
      expect(await snapshot()).toEqual(before);
    });
  }

  it("--dry-run writes nothing; remove-instance takes one out and keeps the user's files, refusing the last one", async () => {
    await schoolRepo();
    const before = await snapshot();
    expect((await bin(["add-instance", "--service", "school", "--name", "class-9c", "--dry-run"])).exitCode).toBe(0);
    expect(await snapshot()).toEqual(before);
    const r = await bin(["remove-instance", "--service", "school", "--name", "class-9a"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("dropdb school-class-9a");
    expect(await read("hosts/vps-x86/default.nix")).not.toContain("class-9a");
    const last = await bin(["remove-instance", "--service", "school", "--name", "class-9b"]);
    expect(last.exitCode).not.toBe(0);
    expect(last.stderr).toContain("is school's last instance; remove the service instead");
    expect(await read("hosts/vps-x86/configuration.nix")).toBe(MY_CONFIG);
  });
});
