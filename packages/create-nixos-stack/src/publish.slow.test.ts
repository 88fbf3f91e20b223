/**
 * Publishing, end to end. Every public workspace package is packed with `pnpm pack` (which
 * rewrites workspace: ranges and applies publishConfig, as `pnpm publish` does) and served, with
 * the third-party versions pnpm installed, by a registry on 127.0.0.1 (test-support/local-registry).
 * npm then installs them in temp directories with no workspace around them, and the commands a
 * user runs after publishing run from there: `npm create nixos-stack`, the installed bins
 * (create, --sync, check), and a generated repo's ./stack.sh, which installs what its package.json
 * pins. Needs the built packages (pnpm build) and npm; no network.
 *
 * Slow (several npm installs): `pnpm test:fast` leaves *.slow.test.ts out; CI runs it.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { thirdPartyClosure } from "./test-support/npm-closure.js";
import { LocalRegistry, manifestOfTarball, tarDirectory, type RegistryPackage } from "./test-support/local-registry.js";
import { packWorkspacePackage, WORKSPACE_ROOT, workspacePackages, type PackedPackage } from "./test-support/workspace-packages.js";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u example-operator@nixos-stack";
const SLOW = 300_000;
const hasStaticTools = ["nix-instantiate", "shellcheck"].every((t) => spawnSync(t, ["--version"]).status === 0);
/** The check phases that need no network: static needs nix-instantiate and shellcheck (CI has both: scripts/ci-tools.test.ts). */
const OFFLINE_PHASES = hasStaticTools ? "manifest,static" : "manifest";

const publicPackages = workspacePackages().filter((p) => !p.manifest.private);
const version = publicPackages[0]!.manifest.version;

let scratch: string;
let packs: PackedPackage[];
let registry: LocalRegistry;

beforeAll(async () => {
  if (!hasStaticTools) console.warn("publish test: no nix-instantiate or shellcheck here, so the check runs its manifest phase only");
  scratch = mkdtempSync(join(tmpdir(), "nixos-stack-publish-"));
  // a temp dir outside the workspace: nothing above it may offer node_modules or a workspace
  for (let dir = scratch; dirname(dir) !== dir; dir = dirname(dir)) {
    expect(existsSync(join(dir, "pnpm-workspace.yaml")) || existsSync(join(dir, "node_modules")), dir).toBe(false);
  }
  packs = await Promise.all(publicPackages.map((p) => packWorkspacePackage(p, join(scratch, "packs"))));
  const ours = new Set(publicPackages.map((p) => p.manifest.name));
  const thirdParty = thirdPartyClosure(
    publicPackages.map((p) => p.dir),
    ours,
    // a generated repo's package.json also asks for plop (npx plop add-target), as the generators' dev dependency pins it
    publicPackages.filter((p) => p.manifest.name === "@nixos-stack/generators").map((p) => ({ from: p.dir, name: "plop" })),
  ).map((p): RegistryPackage => ({ manifest: p.manifest, tarball: tarDirectory(p.dir, join(scratch, "packs", `${p.name.replace("/", "__")}-${p.version}.tgz`)) }));
  registry = await LocalRegistry.start([...packs.map((p) => ({ manifest: manifestOfTarball(p.tarball), tarball: p.tarball })), ...thirdParty]);
}, SLOW);

afterAll(async () => {
  await registry?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** A fresh HOME with its own npm cache and config (nothing from this machine's ~/.npmrc or cache). */
function userEnv(name: string): Record<string, string> {
  const home = join(scratch, `home-${name}`);
  return { ...registry.npmEnv(home), PATH: process.env.PATH ?? "", NO_COLOR: "1", GIT_CONFIG_GLOBAL: "/dev/null" };
}

function run(file: string, args: string[], cwd: string, env: Record<string, string>) {
  return execa(file, args, { cwd, env, extendEnv: false, reject: false, timeout: SLOW });
}

/** What a failed npm run needs to be understood: its output and what the registry did not have. */
function explain(r: { stdout?: unknown; stderr?: unknown }): string {
  return `${String(r.stdout)}\n${String(r.stderr)}\nregistry misses: ${registry.misses.join(", ") || "none"}`;
}

describe("the packed packages", () => {
  it("are the five packages a generated repo and the create bin need, all public, released together", () => {
    expect(publicPackages.map((p) => p.manifest.name).sort()).toEqual(["@nixos-stack/check", "@nixos-stack/core", "@nixos-stack/generators", "@nixos-stack/templates", "create-nixos-stack"]);
    // a generated package.json pins create-nixos-stack and @nixos-stack/check at the templates' version
    expect(new Set(publicPackages.map((p) => p.manifest.version))).toEqual(new Set([version]));
    const changesets = JSON.parse(readFileSync(join(WORKSPACE_ROOT, ".changeset/config.json"), "utf8")) as { fixed: string[][] };
    expect(changesets.fixed.map((group) => [...group].sort())).toContainEqual(publicPackages.map((p) => p.manifest.name).sort());
  });

  it("have publishable manifests: no workspace: range, entry points that exist in the tarball, public access, engines, license, repository", () => {
    for (const { package: pkg, tarball, files } of packs) {
      const m = manifestOfTarball(tarball);
      const name = m.name;
      const deps = { ...m.dependencies, ...m.optionalDependencies, ...m.peerDependencies };
      for (const [dep, range] of Object.entries(deps)) {
        expect(range, `${name} → ${dep}`).not.toMatch(/^workspace:/);
        // our own packages depend on each other at exactly the released version
        if (publicPackages.some((p) => p.manifest.name === dep)) expect(range, `${name} → ${dep}`).toBe(version);
      }
      const targets = [
        ...Object.values((m.bin as Record<string, string> | undefined) ?? {}),
        ...[m.main, m.types].filter((t): t is string => typeof t === "string"),
        ...exportTargets(m.exports),
      ];
      expect(targets.length, name).toBeGreaterThan(0);
      for (const target of targets) expect(files, `${name}: ${target}`).toContain(target.replace(/^\.\//, ""));
      // the workspace-only "source" condition points at src/, which is not shipped
      expect(JSON.stringify(m.exports ?? {}), name).not.toContain("./src/");
      expect(files.filter((f) => f.startsWith("src/") || /\.test\.|test-support/.test(f)), name).toEqual([]);
      if (name.startsWith("@")) expect((m.publishConfig as { access?: string } | undefined)?.access, name).toBe("public");
      expect(m.engines, name).toEqual({ node: ">=20.19" });
      expect(m.license, name).toBe("MIT");
      expect(m.repository, name).toMatchObject({ type: "git", directory: pkg.path });
      expect(files, name).toEqual(expect.arrayContaining(["LICENSE", "README.md", "package.json"]));
    }
  });

  it("create-nixos-stack is one bundle: installing it fetches only node-plop (the prompts)", () => {
    const create = packs.find((p) => p.package.manifest.name === "create-nixos-stack")!;
    expect(Object.keys(manifestOfTarball(create.tarball).dependencies ?? {})).toEqual(["node-plop"]);
    expect(create.files).toContain("dist/bundle/bin.cjs");
    expect(create.files.filter((f) => /\.[cm]?js$/.test(f) && !f.startsWith("dist/bundle/"))).toEqual([]);
  });
});

describe("installed with npm, outside any workspace", () => {
  let createdRepo: string;

  it(
    "`npm create nixos-stack@<version>` scaffolds a repo, as a user runs it after publishing",
    async () => {
      const user = mkdtempSync(join(scratch, "user-"));
      const r = await run("npm", ["create", `nixos-stack@${version}`, "my-infra", "--", "--yes", "--ssh-key", KEY], user, userEnv("create"));
      expect(r.exitCode, explain(r)).toBe(0);
      createdRepo = join(user, "my-infra");
      for (const file of ["flake.nix", "stack.sh", "package.json", "bootstrap.sh", ".nixos-stack/lock.json"]) expect(existsSync(join(createdRepo, file)), file).toBe(true);
      expect(r.stdout).toContain("./stack.sh check");
      expect(JSON.parse(readFileSync(join(createdRepo, "package.json"), "utf8")).devDependencies).toMatchObject({ "@nixos-stack/check": `^${version}`, "@nixos-stack/generators": `^${version}`, "create-nixos-stack": `^${version}` });
    },
    SLOW,
  );

  it(
    "the bins installed from the tarballs: create, --sync after a manifest change, and the check",
    async () => {
      const tools = mkdtempSync(join(scratch, "tools-"));
      const env = userEnv("tools");
      const tarballs = packs.filter((p) => ["create-nixos-stack", "@nixos-stack/check"].includes(p.package.manifest.name)).map((p) => p.tarball);
      const install = await run("npm", ["install", "--no-audit", "--no-fund", ...tarballs], tools, env);
      expect(install.exitCode, explain(install)).toBe(0);
      const create = join(tools, "node_modules/.bin/create-nixos-stack");
      const check = join(tools, "node_modules/.bin/nixos-stack-check");

      expect((await run(create, ["--version"], tools, env)).stdout.trim()).toBe(version);
      expect((await run(check, ["--version"], tools, env)).stdout.trim()).toBe(version);

      const created = await run(create, ["my-infra", "--yes", "--ssh-key", KEY], tools, env);
      expect(created.exitCode, explain(created)).toBe(0);
      const repo = join(tools, "my-infra");

      const manifestPath = join(repo, "nixos-stack.json");
      const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
      manifest.hosts[0].deploy.sshPort = 2200;
      writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
      const synced = await run(create, ["--sync"], repo, env);
      expect(synced.exitCode, explain(synced)).toBe(0);
      expect(readFileSync(join(repo, "hosts/vps-x86/default.nix"), "utf8")).toMatch(/sshPort = 2200;/);

      const checked = await run(check, ["--phase", OFFLINE_PHASES], repo, env);
      expect(checked.exitCode, explain(checked)).toBe(0);
      // and it does find drift: a managed file out of date with the manifest
      manifest.hosts[0].deploy.sshPort = 2201;
      writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
      const drifted = await run(check, ["--phase", "manifest"], repo, env);
      expect(drifted.exitCode).toBe(1);
      expect(drifted.stdout).toContain("./stack.sh sync");
    },
    SLOW,
  );

  it(
    "a generated repo's ./stack.sh installs the versions package.json pins, then syncs and checks",
    async () => {
      expect(createdRepo, "the npm create test runs first").toBeDefined();
      const env = userEnv("stack-sh");
      const synced = await run("./stack.sh", ["sync"], createdRepo, env);
      expect(synced.exitCode, explain(synced)).toBe(0);
      expect(synced.stderr).toContain("installing the nixos-stack tools package.json pins: npm install");
      expect(synced.stdout).toMatch(/^sync /m);
      // npm recorded what it installed, from the registry the package.json ranges resolved against
      const lock = JSON.parse(readFileSync(join(createdRepo, "package-lock.json"), "utf8"));
      expect(lock.packages["node_modules/create-nixos-stack"]).toMatchObject({ version, resolved: expect.stringContaining(registry.url) });
      // git leaves the tools out (the generated .gitignore), so the flake and check never see them
      expect((await execa("git", ["status", "--porcelain"], { cwd: createdRepo })).stdout).toBe("?? package-lock.json");

      const checked = await run("./stack.sh", ["check", "--phase", OFFLINE_PHASES], createdRepo, env);
      expect(checked.exitCode, explain(checked)).toBe(0);
      expect(checked.stderr).not.toContain("installing");
    },
    SLOW,
  );
});

/** Every file an `exports` field points at. */
function exportTargets(exports: unknown): string[] {
  if (typeof exports === "string") return [exports];
  if (exports && typeof exports === "object") return Object.values(exports).flatMap(exportTargets);
  return [];
}
