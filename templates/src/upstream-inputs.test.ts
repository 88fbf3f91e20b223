/**
 * The upstream flakes as the source of truth (issue 14, part 2): disko, agenix and sops-nix are the
 * real flakes at the commits pinned in templates/pins/upstream-inputs.json, reached through the Nix
 * store (test-support/offline-inputs.ts, REAL_INPUTS), and their real declarations, types and
 * assertions judge our templates. home-manager, deploy-rs and colmena keep a stand-in
 * (STAND_IN_REASONS says why); each stand-in is compared here with the real declaration in the
 * pinned tree, so a drift fails. The generated flake.nix pins the same commits.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { nix } from "@nixos-stack/core";
import { renderStack } from "./index.js";
import { FlakeRepos, nixArgs, offline, plant } from "./test-support/flake-repo.js";
import { REAL_INPUTS, STUB_INPUTS, SURFACE_BRANCHES } from "./test-support/offline-inputs.js";
import { readUpstreamPins, upstreamPin } from "./test-support/upstream-pins.js";
import { fleetStack, validStack, vpsStack } from "./test-support/render-to-disk.js";

const repos = new FlakeRepos("upstream");
afterAll(() => repos.cleanup());

const DRIFT_NIX = fileURLToPath(new URL("./test-support/option-drift.nix", import.meta.url));
const hmPinOf = { "nixos-26.05": "home-manager", "nixos-unstable": "home-manager-unstable" } as const;

function flakeNixOf(stack: Parameters<typeof renderStack>[0]): string {
  const file = renderStack(stack).get("flake.nix");
  if (!file) throw new Error("no flake.nix rendered");
  return file.content;
}

/** The body of one input's block in flake.nix (`name = { … };`). */
function inputBlock(flake: string, name: string): string {
  const m = flake.match(new RegExp(`\\n    ${name.replace(/[-.]/g, "\\$&")} = \\{\\n([\\s\\S]*?)\\n    \\};`));
  if (!m) throw new Error(`flake.nix has no input ${name}`);
  return m[1]!;
}

describe("the generated flake.nix pins the commits CI evaluated", () => {
  it.each(SURFACE_BRANCHES)("%s: disko, home-manager (the branch matching nixpkgs), the deployer and the secrets backend at their pinned commits, following our nixpkgs", (branch) => {
    const expectUrl = (flake: string, input: string, pinName: string) => {
      const pin = upstreamPin(pinName);
      const block = inputBlock(flake, input);
      expect(block).toContain(`url = "github:${pin.repo}/${pin.commit}";`);
      expect(block).toContain('inputs.nixpkgs.follows = "nixpkgs";');
    };
    const vps = flakeNixOf(vpsStack({ nixpkgsBranch: branch }));
    expectUrl(vps, "disko", "disko");
    expectUrl(vps, "home-manager", hmPinOf[branch]);
    expect(upstreamPin(hmPinOf[branch]).branch).toBe(branch === "nixos-unstable" ? "master" : "release-26.05");
    expectUrl(flakeNixOf(fleetStack({ nixpkgsBranch: branch, deployer: "deploy-rs" })), "deploy-rs", "deploy-rs");
    expectUrl(flakeNixOf(fleetStack({ nixpkgsBranch: branch, deployer: "colmena" })), "colmena", "colmena");
    for (const [backend, input] of [
      ["agenix", "agenix"],
      ["sops", "sops-nix"],
    ] as const) {
      const base = vpsStack({ nixpkgsBranch: branch });
      expectUrl(flakeNixOf(validStack({ ...base, secrets: { backend } } as never)), input, input);
    }
  });

  it("no upstream input of any generated flake is left unpinned (a bare github:owner/repo)", () => {
    const flakes = [vpsStack(), fleetStack({ deployer: "deploy-rs" }), fleetStack({ deployer: "colmena" })].map(flakeNixOf);
    for (const flake of flakes) {
      const urls = [...flake.matchAll(/url = "github:([^"]+)";/g)].map((m) => m[1]!);
      for (const url of urls.filter((u) => !u.startsWith("NixOS/nixpkgs/"))) expect(url, url).toMatch(/^[^/]+\/[^/]+\/[0-9a-f]{40}$/);
    }
  });
});

describe.runIf(offline.ok)("the real upstream flakes, at their pins, in the offline checks", () => {
  it("every input of each pinned flake.lock is followed by our flake.nix or overridden, so nothing is fetched", () => {
    const flakes = {
      disko: flakeNixOf(vpsStack()),
      agenix: flakeNixOf(validStack({ ...vpsStack(), secrets: { backend: "agenix" } } as never)),
      "sops-nix": flakeNixOf(validStack({ ...vpsStack(), secrets: { backend: "sops" } } as never)),
    } as Record<string, string>;
    for (const real of REAL_INPUTS) {
      const lock = JSON.parse(readFileSync(join(upstreamPin(real.pin).storePath, "flake.lock"), "utf8")) as { nodes: { root: { inputs: Record<string, unknown> } } };
      const followed = [...inputBlock(flakes[real.name]!, real.name).matchAll(/inputs\.([\w-]+)\.follows/g)].map((m) => m[1]!);
      const covered = new Set([...followed, ...Object.keys(real.nested)]);
      expect(Object.keys(lock.nodes.root.inputs).filter((i) => !covered.has(i)), real.name).toEqual([]);
    }
  });

  it.each(SURFACE_BRANCHES)("%s: disko.devices, age.secrets and sops.secrets are declared by the pinned upstream modules, not by a stand-in", (branch) => {
    const declaredIn = (backend: "agenix" | "sops", option: string) => {
      const dir = repos.create(validStack({ ...vpsStack({ nixpkgsBranch: branch }), secrets: { backend } } as never));
      const out = execFileSync("nix", ["eval", "--json", "--no-write-lock-file", ".#nixosConfigurations.vps-x86", "--apply", `s: map toString s.options.${option}.declarations`, ...nixArgs(branch)], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      return JSON.parse(out) as string[];
    };
    expect(declaredIn("agenix", "disko.devices")).toEqual([`${upstreamPin("disko").storePath}/module.nix`]);
    expect(declaredIn("agenix", "age.secrets")).toEqual([`${upstreamPin("agenix").storePath}/modules/age.nix`]);
    expect(declaredIn("sops", "sops.secrets")).toEqual([`${upstreamPin("sops-nix").storePath}/modules/sops`]);
  }, 180_000);

  it.each(SURFACE_BRANCHES)("%s: the real sops-nix type refuses an age key in the Nix store, which the stand-in's `nullOr str` let through", (branch) => {
    const stack = validStack({ ...vpsStack({ nixpkgsBranch: branch }), secrets: { backend: "sops" } } as never);
    const dir = repos.create(stack, plant("vps-x86", `  sops.age.keyFile = ${nix("/nix/store/00000000000000000000000000000000-age-key.txt")};`));
    const r = spawnSync("nix", ["flake", "check", "--no-build", "--no-write-lock-file", ...nixArgs(branch)], { cwd: dir, encoding: "utf8" });
    // modules/sops/default.nix: keyFile is `nullOr pathNotInStore` (a key in the store is world-readable)
    expect(r.stderr).toMatch(/sops\.age\.keyFile' is not of type `null or path not in the Nix store'/);
    expect(r.status).not.toBe(0);
  });

  it.each(SURFACE_BRANCHES)("%s: the real disko derives the file systems and GRUB's device from our disk layout", (branch) => {
    const dir = repos.create(vpsStack({ nixpkgsBranch: branch }));
    const out = execFileSync(
      "nix",
      ["eval", "--json", "--no-write-lock-file", ".#nixosConfigurations.vps-x86.config", "--apply", 'c: { fs = builtins.mapAttrs (_: f: { inherit (f) device fsType; }) c.fileSystems; grub = c.boot.loader.grub.devices; }', ...nixArgs(branch)],
      { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );
    const got = JSON.parse(out) as { fs: Record<string, { device: string; fsType: string }>; grub: string[] };
    expect(got.fs["/"]).toEqual({ device: "/dev/disk/by-partlabel/disk-main-root", fsType: "ext4" });
    expect(got.fs["/boot"]).toEqual({ device: "/dev/disk/by-partlabel/disk-main-ESP", fsType: "vfat" });
    expect(got.grub).toEqual(["/dev/sda"]);
  });
});

/** Rows of option-drift.nix: one per option the stand-in declares, with the real declaration (null: upstream has none). */
interface DriftRow {
  path: string;
  standIn: { type: string; description: string; default: string | null };
  real: { type: string; description: string; default: string | null } | null;
}

/**
 * Differences upstream has and the stand-in deliberately does not model, each with the real
 * value it must still have (so a change upstream fails too) and why.
 */
const KNOWN: Record<string, { field: "default"; real: RegExp; why: string }> = {
  // modules/home-environment.nix: the defaults apply only for home.stateVersion < 20.09; ours are 26.05 and later
  "home-manager.users.*.home.username": { field: "default", real: /\$USER.*20\.09/s, why: "only for stateVersion < 20.09" },
  "home-manager.users.*.home.homeDirectory": { field: "default", real: /\$HOME.*20\.09/s, why: "only for stateVersion < 20.09" },
};

/** The rows whose declarations differ, as readable lines (empty: no drift). */
function driftOf(rows: DriftRow[]): string[] {
  return rows.flatMap((row) => {
    if (row.real === null) return [`${row.path}: upstream declares no such option`];
    const lines: string[] = [];
    for (const field of ["type", "description", "default"] as const) {
      if (row.standIn[field] === row.real[field]) continue;
      const known = KNOWN[row.path];
      if (known && known.field === field && row.standIn[field] === null && known.real.test(row.real[field] ?? "")) continue;
      lines.push(`${row.path}: ${field} ${JSON.stringify(row.standIn[field])} here, ${JSON.stringify(row.real[field])} upstream`);
    }
    return lines;
  });
}

function nixJson(expr: string): any {
  const r = spawnSync("nix-instantiate", ["--eval", "--strict", "--json", "-E", expr], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

/** home-manager's NixOS module options: the stand-in's against the pinned tree's nixos/default.nix, for one home-manager branch. */
function homeManagerDrift(stub: string, branch: (typeof SURFACE_BRANCHES)[number]): DriftRow[] {
  if (!offline.ok) throw new Error(offline.reason);
  const pin = upstreamPin(hmPinOf[branch]);
  return nixJson(`
    let
      lib = import ${nix(`${offline.path}/lib`)};
      # the fake package set, whose path holds the two nixpkgs modules home-manager imports
      pkgs = import ${nix(`${STUB_INPUTS}/nixpkgs/fake-packages.nix`)} { inherit lib; branch = "nixos-26.05"; } "x86_64-linux";
      common = { _module.args = { inherit pkgs; utils = { }; }; _module.check = false; };
      options = module: (lib.evalModules { class = "nixos"; modules = [ module common ]; }).options;
    in
    import ${nix(DRIFT_NIX)} {
      inherit lib;
      standIn = options (import ${nix(`${stub}/option-surface/nixos-module.nix`)} {
        hmBranch = ${nix(pin.branch ?? "")};
        assertionsModule = ${nix(`${STUB_INPUTS}/nixpkgs/option-surface/assertions.nix`)};
      });
      real = options ${nix(`${pin.storePath}/nixos`)};
      roots = [ [ "home-manager" ] ];
    }`);
}

describe.runIf(offline.ok)("the stand-ins that remain, against the pinned upstream declarations", () => {
  it.each(SURFACE_BRANCHES)("%s: home-manager's options (path, type, default) are upstream's on the branch it pairs with", (branch) => {
    const rows = homeManagerDrift(join(STUB_INPUTS, "home-manager"), branch);
    expect(rows.map((r) => r.path)).toEqual(expect.arrayContaining(["home-manager.useGlobalPkgs", "home-manager.users", "home-manager.users.*.home.stateVersion", "home-manager.users.*.systemd.user.services.*.Service.ExecStart"]));
    expect(driftOf(rows)).toEqual([]);
  });

  it("a stand-in that drifts fails: home.username as `lines` is named with both types", () => {
    const copy = mkdtempSync(join(tmpdir(), "nixos-stack-hm-drift-"));
    try {
      cpSync(join(STUB_INPUTS, "home-manager"), copy, { recursive: true });
      const file = join(copy, "option-surface/home.nix");
      const source = readFileSync(file, "utf8");
      const drifted = source.replace(/username = lib\.mkOption \{ type = [^;]+; \};/, "username = lib.mkOption { type = types.lines; };");
      expect(drifted).not.toBe(source);
      writeFileSync(file, drifted);
      expect(driftOf(homeManagerDrift(copy, "nixos-26.05"))).toEqual(['home-manager.users.*.home.username: type "separatedString" here, "str" upstream', 'home-manager.users.*.home.username: description "strings concatenated with \\"\\\\n\\"" here, "string" upstream']);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it("colmena's deployment options are upstream's (src/nix/hive/options.nix), and so are the meta options it accepts", () => {
    if (!offline.ok) throw new Error(offline.reason);
    const pin = upstreamPin("colmena");
    const got = nixJson(`
      let
        lib = import ${nix(`${offline.path}/lib`)};
        standIn = ((import ${nix(`${STUB_INPUTS}/colmena/flake.nix`)}).outputs { nixpkgs = { inherit lib; legacyPackages = { }; }; }).standIn;
        upstream = import ${nix(`${pin.storePath}/src/nix/hive/options.nix`)};
        options = module: (lib.evalModules { modules = [ module { _module.check = false; } ]; specialArgs.name = "node"; }).options;
      in {
        rows = import ${nix(DRIFT_NIX)} { inherit lib; standIn = options standIn.deploymentOptions; real = options upstream.deploymentOptions; roots = [ [ "deployment" ] ]; };
        meta = { standIn = lib.sort lib.lessThan standIn.metaOptionNames; real = lib.attrNames (removeAttrs (options upstream.metaOptions) [ "_module" ]); };
      }`);
    expect((got.rows as DriftRow[]).map((r) => r.path)).toEqual(["deployment.tags", "deployment.targetHost", "deployment.targetPort", "deployment.targetUser"]);
    expect(driftOf(got.rows)).toEqual([]);
    expect(got.meta.standIn).toEqual(got.meta.real);
  });

  it("deploy-rs: every node field the stand-in checks has the JSON type of the pinned interface.json", () => {
    if (!offline.ok) throw new Error(offline.reason);
    const schema = JSON.parse(readFileSync(join(upstreamPin("deploy-rs").storePath, "interface.json"), "utf8"));
    const props = { ...schema.definitions.generic_settings.properties, ...schema.definitions.node_settings.properties } as Record<string, { type: string }>;
    const standIn = nixJson(`((import ${nix(`${STUB_INPUTS}/deploy-rs/flake.nix`)}).outputs { nixpkgs = { lib = import ${nix(`${offline.path}/lib`)}; legacyPackages = { }; }; }).standIn`) as {
      nodeFields: Record<string, string>;
      profileFields: Record<string, string>;
    };
    expect(Object.fromEntries(Object.keys(standIn.nodeFields).map((f) => [f, props[f]?.type ?? "(not in interface.json)"]))).toEqual(standIn.nodeFields);
    expect(schema.definitions.node_settings.required).toEqual(["hostname"]);
    expect(schema.definitions.profile_settings.properties.path.type).toBe(standIn.profileFields.path);
    expect(schema.definitions.profile_settings.required).toEqual(["path"]);
  });
});

describe("the pins file", () => {
  it("pins each tree by a full commit, its GitHub archive of that commit, a NAR hash and the store path fetchTarball gives it", () => {
    for (const pin of readUpstreamPins()) {
      expect(pin.commit, pin.name).toMatch(/^[0-9a-f]{40}$/);
      expect(pin.url, pin.name).toBe(`https://github.com/${pin.repo}/archive/${pin.commit}.tar.gz`);
      expect(pin.sha256, pin.name).toMatch(/^[0-9a-z]{52}$/);
      expect(pin.storePath, pin.name).toMatch(/^\/nix\/store\/[0-9a-z]{32}-source$/);
    }
  });
});
