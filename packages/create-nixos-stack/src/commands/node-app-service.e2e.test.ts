/** add-service --kind node-app through the BUILT bin (run `pnpm build` first), on a VPS repo the bin generated and the user edited. */
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const BIN = new URL("../../dist/bundle/bin.cjs", import.meta.url).pathname;
const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u me@laptop";
const MY_CONFIG = "{ pkgs, ... }:\n{\n  # mine\n  environment.systemPackages = [ pkgs.htop ];\n}\n";
const TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.PLANTEDtokenVALUEabcdefghijklmnop";

let cwd: string;
let repo: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), "nixos-stack-node-app-cli-"));
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

async function editedRepo(): Promise<void> {
  expect((await bin(["repo", "--yes", "--no-git", "--ssh-key", KEY], cwd)).exitCode).toBe(0);
  await writeFile(join(repo, "hosts/vps-x86/configuration.nix"), MY_CONFIG);
  await writeFile(join(repo, ".gitignore"), `${await read(".gitignore")}/my-notes/\n`);
  await writeFile(join(repo, "nixos-stack.json"), JSON.stringify(JSON.parse(await read("nixos-stack.json")), null, 4));
}

const app = (name: string, ...more: string[]) => ["add-service", "--kind", "node-app", "--host", "vps-x86", "--name", name, ...more];
const BOT = app("bot", "--github", "acme/discord-bot", "--ref", "v1.2.0", "--discord-client-id", "123456789012345678", "--chat-endpoint-url", "http://127.0.0.1:11434/v1", "--model", "llama3.1:8b", "--temperature", "1", "--max-tokens", "512", "--memory-max", "1G", "--tasks-max", "128", "--companion");

describe.runIf(existsSync(BIN))("create-nixos-stack add-service --kind node-app", () => {
  it("adds the bot: manifest entry nested as the schema wants, its module, recipe, docs and secrets module; the user's files stay byte for byte", async () => {
    await editedRepo();
    const before = await snapshot();
    const r = await bin(BOT);
    expect(r.exitCode, r.stderr).toBe(0);
    const entry = JSON.parse(await read("nixos-stack.json")).hosts[0].services.at(-1);
    expect(entry).toEqual({
      kind: "node-app",
      name: "bot",
      source: { github: "acme/discord-bot", ref: "v1.2.0" },
      settings: { discordClientId: "123456789012345678", chatEndpointUrl: "http://127.0.0.1:11434/v1", model: "llama3.1:8b", temperature: 1, maxTokens: 512 },
      memoryMax: "1G",
      tasksMax: 128,
      companion: { enable: true },
    });
    const host = await read("hosts/vps-x86/default.nix");
    expect(host).toContain("../../modules/services/bot.nix");
    expect(host).toContain("../../modules/secrets.nix");
    expect(host).toMatch(/temperature = 1\.0;/);
    expect(await read("flake.nix")).toMatch(/bot-src = \{\n\s+url = "github:acme\/discord-bot\/v1\.2\.0";\n\s+flake = false;/);
    for (const path of ["modules/services/bot.nix", "pkgs/bot/default.nix", "docs/services/bot.md", "modules/secrets.nix", "docs/secrets.md", "modules/lib/require-env-file.sh", "modules/lib/systemd-hardening.nix"]) expect(existsSync(join(repo, path)), path).toBe(true);
    for (const path of ["hosts/vps-x86/configuration.nix", "hosts/vps-arm/configuration.nix", ".gitignore", "package.json"]) expect(await read(path), path).toBe(before[path]);
    expect(await read("hosts/vps-arm/default.nix")).toBe(before["hosts/vps-arm/default.nix"]);
    expect((await bin(["--sync", "--dry-run"])).stdout).not.toMatch(/^\s+(create|update|CONFLICT)\s/m);
  });

  it("a second app leaves the first app's recipe as the user edited it", async () => {
    await editedRepo();
    expect((await bin(BOT)).exitCode).toBe(0);
    const mine = (await read("pkgs/bot/default.nix")).replace("npmDepsHash = lib.fakeHash;", 'npmDepsHash = "sha256-4hGdCwI/H7LdndJaHYvr8ajpmgVnY/cDRN/Q1LYENrA=";');
    await writeFile(join(repo, "pkgs/bot/default.nix"), mine);
    const r = await bin(app("helper", "--path", "./apps/helper", "--no-companion"));
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await read("pkgs/bot/default.nix")).toBe(mine);
    expect(await read("apps/helper/README.md")).toContain("package-lock.json");
    expect(JSON.parse(await read("nixos-stack.json")).hosts[0].services.at(-1)).toEqual({ kind: "node-app", name: "helper", source: { path: "./apps/helper" }, companion: { enable: false } });
  });

  it.each([
    [app("gateway", "--github", "acme/bot"), 1, `hosts[0].services[1].name: "gateway" — is already the name of services[0] on this host`],
    [app("bot", "--github", "acme/bot", "--user", "gateway"), 1, `hosts[0].services[1].user: "gateway" — is already the user of services[0] on this host`],
    [app("bot", "--github", "acme/bot", "--user", "admin"), 1, `hosts[0].services[1].user: "admin" — is admins[0]`],
    [app("bot"), 1, "hosts[0].services[1].source"],
    [app("bot", "--github", "acme/bot", "--temperature", "3"), 1, `hosts[0].services[1].settings.temperature: 3 — use 0–2`],
    [app("bot", "--github", "acme/bot", "--temperature", "warm"), 2, `--temperature: "warm" is not a number such as 0.7`],
    [app("bot", "--github", "acme/bot", "--port", "8080"), 2, "--port is a flag of a gateway service, not of a node-app one"],
    [app("bot", "--github", "acme/bot", "--model", `sk-${TOKEN}`), 1, "hosts[0].services[1].settings.model: (value not shown) — looks like an API key or token"],
    [app("bot", "--github", "acme/bot", "--chat-endpoint-url", `https://bot:${TOKEN}@api.example.com/v1`), 1, "hosts[0].services[1].settings.chatEndpointUrl: (value not shown) — carries a password"],
  ])("%j exits %i with a message naming the field, and writes nothing", async (args, code, message) => {
    await editedRepo();
    const before = await snapshot();
    const r = await bin(args as string[]);
    expect(r.exitCode, r.stderr).toBe(code);
    expect(r.stderr).toContain(message);
    expect(r.stderr + r.stdout).not.toContain(TOKEN);
    expect(await snapshot()).toEqual(before);
  });

  it("remove-service takes the app out and deletes its managed files, keeping the user's recipe", async () => {
    await editedRepo();
    expect((await bin(BOT)).exitCode).toBe(0);
    const r = await bin(["remove-service", "--host", "vps-x86", "--name", "bot"]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(existsSync(join(repo, "modules/services/bot.nix"))).toBe(false);
    expect(await read("flake.nix")).not.toContain("bot-src");
    expect(await read("hosts/vps-x86/default.nix")).not.toContain("bot");
    expect(existsSync(join(repo, "pkgs/bot/default.nix"))).toBe(true);
  });
});
