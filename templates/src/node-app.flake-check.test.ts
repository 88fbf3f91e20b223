/**
 * The node-app kind under the offline `nix flake check`, on both supported branches and in every
 * secrets backend: the units' attributes are read from the EVALUATED configuration
 * (config.systemd.services.<name>.serviceConfig), not from the text of a template.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Stack } from "@nixos-stack/core";
import { renderStack } from "./index.js";
import { plant } from "./test-support/flake-repo.js";
import { offlineFlakeCheck, offlineInputOverrides, overrideInputArgs, SURFACE_BRANCHES, type SurfaceBranch } from "./test-support/offline-inputs.js";
import { validStack, vpsStack, writeTree } from "./test-support/render-to-disk.js";

const offline = offlineFlakeCheck();
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const BACKENDS = ["env-file", "agenix", "sops"] as const;
type Backend = (typeof BACKENDS)[number];
/** where each backend puts the bot's decrypted KEY=value file on the server */
const SECRETS_PATH: Record<Backend, string> = { "env-file": "/etc/test-infra/secrets/bot.env", agenix: "/run/agenix/bot", sops: "/run/secrets/bot" };
const HASH = "sha256-4hGdCwI/H7LdndJaHYvr8ajpmgVnY/cDRN/Q1LYENrA=";

function botStack(branch: SurfaceBranch, backend: Backend, app: Record<string, unknown> = {}): Stack {
  const base = vpsStack({ nixpkgsBranch: branch });
  const bot = {
    kind: "node-app",
    name: "bot",
    source: { github: "acme/discord-bot", ref: "v1.2.0" },
    npmDepsHash: HASH,
    // 1, not 1.0: JSON cannot tell them apart, and lib.types.float refuses an int
    settings: { discordClientId: "123456789012345678", chatEndpointUrl: "http://127.0.0.1:11434/v1", model: "llama3.1:8b", temperature: 1, maxTokens: 512 },
    memoryMax: "768M",
    tasksMax: 128,
    companion: { enable: true, script: "deploy-commands" },
    ...app,
  };
  return validStack({ ...base, secrets: { backend }, hosts: base.hosts.map((h, i) => (i === 0 ? { ...h, services: [...h.services, bot] } : h)) } as never);
}

function repo(stack: Stack): string {
  const dir = mkdtempSync(join(tmpdir(), "nixos-stack-node-app-"));
  dirs.push(dir);
  writeTree(renderStack(stack), dir);
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd: dir });
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "generated");
  return dir;
}

const nixArgs = (branch: SurfaceBranch, dir: string) => {
  if (!offline.ok) throw new Error(offline.reason);
  return ["--extra-experimental-features", "nix-command flakes", ...overrideInputArgs(offlineInputOverrides(branch, offline.path, dir))];
};

function flakeCheck(dir: string, branch: SurfaceBranch) {
  const r = spawnSync("nix", ["flake", "check", "--no-build", "--keep-going", "--no-write-lock-file", ...nixArgs(branch, dir)], { cwd: dir, encoding: "utf8" });
  return { status: r.status, log: r.stderr };
}

function evalHost(dir: string, branch: SurfaceBranch, apply: string): unknown {
  const out = execFileSync("nix", ["eval", "--json", "--no-write-lock-file", ".#nixosConfigurations.vps-x86", "--apply", apply, ...nixArgs(branch, dir)], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return JSON.parse(out);
}

/** The sandbox issue 8 asks of every system service (systemd.exec(5)); Node's JIT needs MemoryDenyWriteExecute off. */
const HARDENING = {
  PrivateTmp: true,
  ProtectSystem: "strict",
  ProtectHome: true,
  NoNewPrivileges: true,
  PrivateDevices: true,
  RestrictAddressFamilies: ["AF_INET", "AF_INET6"],
  CapabilityBoundingSet: "",
  ProtectKernelTunables: true,
  ProtectKernelModules: true,
  ProtectKernelLogs: true,
  RestrictNamespaces: true,
  LockPersonality: true,
  MemoryDenyWriteExecute: false,
};

interface Unit {
  serviceConfig: Record<string, unknown>;
  wants: string[];
  after: string[];
  before: string[];
  wantedBy: string[];
  environment: Record<string, string>;
}

describe.runIf(offline.ok).each(SURFACE_BRANCHES)("node-app against the %s option surface", (branch) => {
  it.each(BACKENDS)("%s: the checks pass; both units carry the whole sandbox, the limits and the backend's secrets file", (backend) => {
    const dir = repo(botStack(branch, backend));
    const check = flakeCheck(dir, branch);
    expect(check.log).not.toMatch(/error/);
    expect(check.status).toBe(0);

    const units = evalHost(dir, branch, `h: { inherit (h.config.systemd.services) bot bot-deploy; }`) as Record<"bot" | "bot-deploy", Unit>;
    for (const [name, unit] of Object.entries(units)) {
      const sc = unit.serviceConfig;
      expect(sc, name).toMatchObject({ ...HARDENING, MemoryMax: "768M", TasksMax: 128, StateDirectory: "bot", User: "bot", Group: "bot" });
      expect(sc.SystemCallFilter, name).toContain("@system-service");
      // "-": systemd itself does not fail on a missing file; the condition says what is missing
      expect(sc.EnvironmentFile, name).toBe(`-${SECRETS_PATH[backend]}`);
      expect(String(sc.ExecCondition), name).toMatch(new RegExp(`^\\+/nix/store/[^ ]+-require-env-file/bin/require-env-file --secret bot --docs docs/services/bot\\.md ${SECRETS_PATH[backend]} bot ${backend}$`));
      // the default names: the chat client's under one CHAT_ prefix (DEFAULTS.nodeApp.env)
      expect(unit.environment).toMatchObject({ DISCORD_CLIENT_ID: "123456789012345678", CHAT_MODEL: "llama3.1:8b", CHAT_TEMPERATURE: "1", CHAT_MAX_TOKENS: "512", CHAT_ENDPOINT_URL: "http://127.0.0.1:11434/v1" });
    }
    const { bot, "bot-deploy": deploy } = units;
    expect(bot.serviceConfig).toMatchObject({ Restart: "on-failure", RestartSec: 5 });
    // Node reads /proc/cpuinfo and /proc/meminfo (os.cpus(), os.totalmem()): ProcSubset=pid stays off for it
    expect(bot.serviceConfig).not.toHaveProperty("ProcSubset");
    // a bad token does not retry forever
    expect((bot as unknown as { unitConfig: unknown }).unitConfig).toEqual({ StartLimitIntervalSec: 300, StartLimitBurst: 5 });
    expect(bot.wantedBy).toEqual(["multi-user.target"]);
    // the companion runs first, and only `wants`: its failure does not keep the bot down
    expect(bot.wants).toContain("bot-deploy.service");
    expect((bot as unknown as { requires: string[] }).requires).not.toContain("bot-deploy.service");
    expect(deploy.before).toEqual(["bot.service"]);
    expect(deploy.serviceConfig).toMatchObject({ Type: "oneshot", RemainAfterExit: true });
    expect(String(deploy.serviceConfig.ExecStart)).toMatch(/\/bin\/npm run deploy-commands$/);
    // not started on its own at boot: the bot pulls it in (and an operator by hand)
    expect(deploy.wantedBy).toEqual([]);

    expect(evalHost(dir, branch, `h: { u = h.config.users.users.bot; g = h.config.users.groups ? bot; f = h.config.stack.secrets.files.bot; }`)).toMatchObject({
      u: { isSystemUser: true, isNormalUser: false, group: "bot" },
      g: true,
      f: { owner: "bot", group: "bot", path: SECRETS_PATH[backend] },
    });
  });

  it("every system service a generated modules/services/*.nix defines carries the sandbox (found from the definitions' files, not by name)", () => {
    const dir = repo(botStack(branch, "env-file", { source: { path: "./apps/bot" } }));
    // options.<o>.definitionsWithLocations: each definition with the file it came from (lib/modules.nix)
    const apply = `h: let
      ours = builtins.filter (d: builtins.match ".*/modules/services/[^/]*[.]nix" d.file != null) h.options.systemd.services.definitionsWithLocations;
      names = builtins.filter (n: h.config.systemd.services ? \${n}) (builtins.concatMap (d: builtins.attrNames d.value) ours);
    in builtins.listToAttrs (map (n: { name = n; value = h.config.systemd.services.\${n}.serviceConfig; }) names)`;
    const services = evalHost(dir, branch, apply) as Record<string, Record<string, unknown>>;
    expect(Object.keys(services).sort()).toEqual(["bot", "bot-deploy"]);
    for (const [name, sc] of Object.entries(services)) expect(sc, name).toMatchObject(HARDENING);
  });

  it("each setting reaches the app under the name the app reads (env): a seed-style bot started with the evaluated unit's environment sees all of them", () => {
    // the seed's bot reads CHAT_MODEL, CHAT_TEMPERATURE, CHAT_MAX_TOKENS; this one reads LLM_MODEL for the model
    const dir = repo(botStack(branch, "env-file", { env: { model: "LLM_MODEL", temperature: "CHAT_TEMPERATURE", maxTokens: "CHAT_MAX_TOKENS", apiKey: "CHAT_API_KEY" }, settings: { model: "llama3.1:8b", temperature: 0.7, maxTokens: 512 } }));
    const environment = evalHost(dir, branch, `h: h.config.systemd.services.bot.environment`) as Record<string, string>;
    expect(environment).not.toHaveProperty("MODEL");
    expect(environment).not.toHaveProperty("CHAT_MODEL");
    // the app's own reads, run for real by node with exactly that environment
    const app = `process.stdout.write(JSON.stringify({ model: process.env.LLM_MODEL, temperature: Number(process.env.CHAT_TEMPERATURE), maxTokens: Number(process.env.CHAT_MAX_TOKENS) }))`;
    const seen = JSON.parse(execFileSync(process.execPath, ["-e", app], { env: environment, encoding: "utf8" }));
    expect(seen).toEqual({ model: "llama3.1:8b", temperature: 0.7, maxTokens: 512 });
    expect(evalHost(dir, branch, `h: h.config.services.bot.envNames`)).toEqual({ discordClientId: "DISCORD_CLIENT_ID", chatEndpointUrl: "CHAT_ENDPOINT_URL", model: "LLM_MODEL", temperature: "CHAT_TEMPERATURE", maxTokens: "CHAT_MAX_TOKENS" });
  });

  it("two settings on one variable (a hand edit past the schema) fail the check naming envNames, not with a silent loss", () => {
    const dir = repo(botStack(branch, "env-file"));
    plant("vps-x86", `  services.bot.envNames.maxTokens = lib.mkForce "CHAT_MODEL";`)(dir);
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "edit"], { cwd: dir });
    const { status, log } = flakeCheck(dir, branch);
    expect(status).not.toBe(0);
    expect(log).toContain("services.bot.envNames: two settings share one variable");
  });

  it("a TypeScript app whose dist/ is git-ignored is built and installed: the package runs `npm run build`, as buildNpmPackage's hooks would", () => {
    const dir = repo(botStack(branch, "env-file"));
    // the evaluated package's attributes (the stand-in buildNpmPackage keeps its arguments, as mkDerivation does)
    const pkg = evalHost(dir, branch, `h: let p = h.config.services.bot.package; in { dontNpmBuild = p.dontNpmBuild or false; npmBuildScript = p.npmBuildScript or "build"; }`) as { dontNpmBuild: boolean; npmBuildScript: string };
    expect(pkg).toEqual({ dontNpmBuild: false, npmBuildScript: "build" });
    // the app: TypeScript compiled to dist/ (git-ignored), started from there, dist/ in "files"
    const app = mkdtempSync(join(tmpdir(), "nixos-stack-ts-app-"));
    dirs.push(app);
    writeFileSync(join(app, ".gitignore"), "dist/\nnode_modules/\n");
    writeFileSync(join(app, "index.ts"), "console.log('bot');\n");
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "bot", version: "1.0.0", files: ["dist"], scripts: { build: "mkdir -p dist && cp index.ts dist/index.js", start: "node dist/index.js" } }));
    // hooks/npm-build-hook.sh: buildPhase = npmBuildHook unless dontNpmBuild, which runs `npm run $npmBuildScript`
    if (!pkg.dontNpmBuild) execFileSync("npm", ["run", pkg.npmBuildScript], { cwd: app, stdio: "ignore" });
    // hooks/npm-install-hook.sh: installs the files of `npm pack --json --dry-run`
    const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--dry-run"], { cwd: app, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })) as Array<{ files: Array<{ path: string }> }>;
    expect(packed[0]!.files.map((f) => f.path)).toContain("dist/index.js");
  });

  it("build: false keeps dontNpmBuild (a plain JavaScript app without a build script)", () => {
    const dir = repo(botStack(branch, "env-file", { build: false }));
    expect(evalHost(dir, branch, `h: h.config.services.bot.package.dontNpmBuild or false`)).toBe(true);
  });

  it("keeps temperature a float through the manifest's JSON (1 → 1.0) into the evaluated option", () => {
    const dir = repo(botStack(branch, "env-file"));
    expect(evalHost(dir, branch, `h: [ (builtins.typeOf h.config.services.bot.settings.temperature) h.config.services.bot.settings.temperature ]`)).toEqual(["float", 1]);
  });

  it("without the companion there is no bot-deploy unit and the bot wants none", () => {
    const dir = repo(botStack(branch, "env-file", { companion: undefined }));
    expect(evalHost(dir, branch, `h: { deploy = h.config.systemd.services ? bot-deploy; inherit (h.config.systemd.services.bot) wants; }`)).toEqual({ deploy: false, wants: ["network-online.target"] });
  });

  it("a local source under ./apps evaluates from the repo's own tree", () => {
    const dir = repo(botStack(branch, "env-file", { source: { path: "./apps/bot" } }));
    expect(flakeCheck(dir, branch).status).toBe(0);
    expect(evalHost(dir, branch, `h: builtins.baseNameOf h.config.services.bot.package.src`)).toBe("bot");
  });

  it("the placeholder npmDepsHash fails the check with a message naming the file and the way to the real hash", () => {
    const dir = repo(botStack(branch, "env-file", { npmDepsHash: undefined }));
    const { status, log } = flakeCheck(dir, branch);
    expect(status).not.toBe(0);
    expect(log).toContain("pkgs/bot/default.nix: npmDepsHash is still the placeholder (lib.fakeHash)");
    expect(log).toContain("nix build .#nixosConfigurations.vps-x86.config.services.bot.package");
    expect(log).toContain('got: sha256-');
  });
});
