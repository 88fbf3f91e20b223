/** The node-app kind's rendered files, and its start check run for real. */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { NodeAppService, Stack } from "@nixos-stack/core";
import { renderStack } from "../index.js";
import { validStack, vpsStack, writeTree } from "../test-support/render-to-disk.js";
import { appSourceInput } from "./node-app.js";

const PLANTED = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.PLANTEDtokenVALUEabcdefghijklmnop";
const HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILdiGX2od3U8U1zYpWBGYdIoHQ15n5979QMW5SECUXcd";
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "nixos-stack-node-app-"));
  dirs.push(dir);
  return dir;
};

function botStack(backend: Stack["secrets"]["backend"] = "env-file", app: Record<string, unknown> = {}): Stack {
  const base = vpsStack();
  const bot = { kind: "node-app", name: "bot", source: { github: "acme/discord-bot" }, companion: { enable: true }, ...app };
  return validStack({ ...base, secrets: { backend }, hosts: base.hosts.map((h, i) => (i === 0 ? { ...h, hostKey: HOST_KEY, services: [...h.services, bot] } : h)) } as never);
}

function onDisk(stack: Stack): string {
  const dir = tempDir();
  writeTree(renderStack(stack), dir);
  execFileSync("git", ["init", "-q"], { cwd: dir });
  return dir;
}

describe("require-env-file.sh, the units' ExecCondition, run for real", () => {
  const dir = onDisk(botStack());
  const script = join(dir, "modules/lib/require-env-file.sh");
  const run = (...args: string[]) => spawnSync("bash", [script, ...args], { encoding: "utf8" });

  it("is an executable, shellcheck-clean script", () => {
    expect(statSync(script).mode & 0o111).not.toBe(0);
    const r = spawnSync("shellcheck", [script], { encoding: "utf8" });
    if (r.error) return; // shellcheck absent: the static phase checks it elsewhere
    expect(r.stdout).toBe("");
    expect(r.status).toBe(0);
    // as the module's writeShellApplication builds it (its preamble, then the file: builtins.readFile)
    const built = spawnSync("shellcheck", ["-s", "bash", "-"], { input: `#!/usr/bin/env bash\nset -o errexit\nset -o nounset\nset -o pipefail\n${readFileSync(script, "utf8")}`, encoding: "utf8" });
    expect(built.stdout).toBe("");
    expect(built.status).toBe(0);
  });

  it("with the file missing: one line saying what is missing and the exact commands, exit 1 (systemd: skip the start, not a failure)", () => {
    const secrets = join(tempDir(), "secrets");
    const r = run(join(secrets, "bot.env"), "bot", "env-file");
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      `bot: secrets file ${secrets}/bot.env is missing, so bot is not started: create it on this server as root, mode 600: install -d -m 700 ${secrets} && install -m 600 -o root -g root /dev/null ${secrets}/bot.env && sudoedit ${secrets}/bot.env (KEY=value lines); then systemctl restart bot (docs/services/bot.md)\n`,
    );
  });

  it("names the encrypted backends' own commands", () => {
    expect(run("/run/agenix/bot", "bot", "agenix").stderr).toContain("cd secrets && agenix -e bot.age, git add secrets/bot.age, then deploy");
    expect(run("/run/secrets/bot", "bot", "sops").stderr).toContain("sops secrets/bot.env, git add secrets/bot.env, then deploy");
  });

  it("--secret and --docs name a secret and docs other than the unit's (a web-app instance, an app container)", () => {
    const r = run("--secret", "school-a", "--docs", "docs/services/school.md", "/run/agenix/school-a", "school-a", "agenix");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("agenix -e school-a.age, git add secrets/school-a.age");
    expect(r.stderr).toContain("then systemctl restart school-a (docs/services/school.md)\n");
    expect(run("--docs", "docs/services/containers.md", "/run/stack-secrets/c-graph", "graph", "sops").stderr).toContain("sops secrets/graph.env");
    expect(run("--secret").status).toBe(2);
  });

  it("with the file there: silent, exit 0 (the app starts)", () => {
    const file = join(tempDir(), "bot.env");
    writeFileSync(file, "DISCORD_TOKEN=x\n", { mode: 0o600 });
    const r = run(file, "bot", "env-file");
    expect([r.status, r.stdout, r.stderr]).toEqual([0, "", ""]);
  });

  it("--help and --dry-run exit 0; a wrong call exits 2 and says why", () => {
    expect(run("--help").stdout).toMatch(/^Usage: require-env-file\.sh/);
    expect(run("--dry-run", "/nonexistent/bot.env", "bot", "env-file").status).toBe(0);
    const bad = run("/nonexistent/bot.env");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("expected <file> <service> <backend>, got 1 arguments");
  });
});

describe("files", () => {
  it("writes the module and docs as managed files, the package recipe and a local app folder as the user's", () => {
    const tree = renderStack(botStack("env-file", { source: { path: "./apps/bot" } }));
    expect(tree.get("modules/services/bot.nix")?.ownership).toBe("managed");
    expect(tree.get("docs/services/bot.md")?.ownership).toBe("managed");
    expect(tree.get("pkgs/bot/default.nix")?.ownership).toBe("scaffold");
    expect(tree.get("apps/bot/README.md")?.ownership).toBe("scaffold");
    expect(tree.get("pkgs/bot/default.nix")?.content).toContain("npmDepsHash = lib.fakeHash;");
    expect(tree.get("modules/services/bot.nix")?.content).toContain("src = ../../apps/bot;");
    expect(tree.get("flake.nix")?.content).not.toContain("bot-src");
  });

  it("a GitHub source is a flake = false input, pinned as the manifest says", () => {
    const flake = renderStack(botStack("env-file", { source: { github: "acme/discord-bot", ref: "v1.2.0" } })).get("flake.nix")!.content;
    expect(flake).toMatch(/bot-src = \{\n\s+url = "github:acme\/discord-bot\/v1\.2\.0";\n\s+flake = false;\n\s+\};/);
    const app = (ref?: string) => ({ kind: "node-app", name: "bot", source: { github: "acme/bot", ...(ref ? { ref } : {}) } }) as NodeAppService;
    expect(appSourceInput(app())?.url).toBe("github:acme/bot");
    // a ref with a slash would be read as ref + path in the path form
    expect(appSourceInput(app("feature/x"))?.url).toBe("github:acme/bot?ref=feature/x");
    expect(appSourceInput(app("0123456789abcdef0123456789abcdef01234567"))?.url).toBe("github:acme/bot?rev=0123456789abcdef0123456789abcdef01234567");
  });

  it("the env-file backend gets its modules/secrets.nix and docs with the exact commands; the host imports it", () => {
    const tree = renderStack(botStack("env-file"));
    expect(tree.get("modules/secrets.nix")?.content).toContain('dir = "/etc/test-infra/secrets";');
    const docs = tree.get("docs/secrets.md")!.content;
    expect(docs).toContain("sudo install -m 600 -o root -g root /dev/null /etc/test-infra/secrets/<name>.env");
    expect(docs).toContain("sudoedit /etc/test-infra/secrets/<name>.env");
    expect(docs).toContain("| `bot` | `/etc/test-infra/secrets/bot.env` | vps-x86 |");
    const service = tree.get("docs/services/bot.md")!.content;
    expect(service).toContain("sudo install -m 600 -o root -g root /dev/null /etc/test-infra/secrets/bot.env");
    expect(service).toContain("systemctl restart bot-deploy");
    const host = tree.get("hosts/vps-x86/default.nix")!.content;
    expect(host).toContain("../../modules/secrets.nix");
    expect(host).toContain("../../modules/services/bot.nix");
    // the other host runs no node-app: no secrets module there (its gateway keeps its home env file)
    expect(tree.get("hosts/vps-arm/default.nix")!.content).not.toContain("modules/secrets.nix");
  });

  it.each(["agenix", "sops"] as const)("%s: the bot's secret joins the encrypted files", (backend) => {
    const tree = renderStack(botStack(backend));
    const encrypted = backend === "agenix" ? "../secrets/bot.age" : "../secrets/bot.env";
    expect(tree.get("modules/secrets.nix")?.content).toContain(`bot = ${encrypted};`);
    expect(tree.get("docs/services/bot.md")!.content).toContain(backend === "agenix" ? "agenix -e bot.age" : "sops secrets/bot.env");
  });
});

describe("no secret value in the repo or the store", () => {
  it.each(["env-file", "agenix", "sops"] as const)("%s: a plaintext secrets file beside the repo's files is never tracked, so never in the flake's source", (backend) => {
    const dir = onDisk(botStack(backend));
    // what an operator might leave lying around: the plaintext of the bot's secrets
    for (const path of ["secrets/bot.env.plain", "bot.env", ...(backend === "sops" ? [] : ["secrets/bot.env"])]) writeFileSync(join(dir, path), `DISCORD_TOKEN=${PLANTED}\n`);
    execFileSync("git", ["add", "-A"], { cwd: dir });
    const tracked = execFileSync("git", ["ls-files"], { cwd: dir, encoding: "utf8" }).split("\n").filter(Boolean);
    expect(tracked.filter((f) => readFileSync(join(dir, f), "utf8").includes(PLANTED))).toEqual([]);
  });

  it("a token planted in any answer is refused before anything is rendered, and never echoed", () => {
    for (const app of [{ environment: { BOT_SETTING: PLANTED } }, { environment: { DISCORD_TOKEN: "x" } }, { settings: { model: `sk-${PLANTED}` } }, { settings: { chatEndpointUrl: `https://u:${PLANTED}@api.example.com/` } }]) {
      expect(() => botStack("env-file", app), JSON.stringify(Object.keys(app))).toThrow(/secret file|Nix store/);
      try {
        botStack("env-file", app);
      } catch (err) {
        expect(String(err)).not.toContain(PLANTED);
      }
    }
  });
});
