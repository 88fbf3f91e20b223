import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Handlebars from "handlebars";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MANAGED_NOTE, VALUE_HELPERS } from "@nixos-stack/core";
import { renderStack, templateSources } from "./index.js";
import { freePort } from "./test-support/free-port.js";
import { TEST_KEY, vpsStack, writeTree } from "./test-support/render-to-disk.js";
import { upstreamPin } from "./test-support/upstream-pins.js";

const hasNix = spawnSync("nix-instantiate", ["--version"]).status === 0;
const hasShellcheck = spawnSync("shellcheck", ["--version"]).status === 0;

describe("templates", () => {
  it("print values only through the escaping helpers (no bare {{x}})", () => {
    const offenders: string[] = [];
    const visit = (node: unknown, id: string): void => {
      if (!node || typeof node !== "object") return;
      const n = node as { type?: string; path?: { original?: string }; params?: unknown[]; loc?: { start: { line: number } } };
      if (n.type === "MustacheStatement") {
        const helper = n.path?.original ?? "";
        if (!(VALUE_HELPERS as readonly string[]).includes(helper) || !n.params?.length) offenders.push(`${id}:${n.loc?.start.line}: {{${helper}}}`);
      }
      for (const value of Object.values(node)) {
        if (Array.isArray(value)) value.forEach((v) => visit(v, id));
        else if (value && typeof value === "object" && value !== n.loc) visit(value, id);
      }
    };
    for (const [id, source] of templateSources) visit(Handlebars.parse(source), id);
    expect(offenders).toEqual([]);
  });
});

describe("renderStack (VPS preset)", () => {
  const stack = vpsStack({ address: "203.0.113.7" });
  const tree = renderStack(stack);
  const file = (path: string) => {
    const f = tree.get(path);
    if (!f) throw new Error(`${path} was not rendered`);
    return f.content;
  };

  it("is deterministic: the same manifest renders the same bytes", () => {
    const again = renderStack(vpsStack({ address: "203.0.113.7" }));
    expect([...again]).toEqual([...tree]);
  });

  it("writes the files of a complete VPS repo", () => {
    expect([...tree.keys()]).toEqual([
      ".github/workflows/check.yml",
      ".gitignore",
      ".nixos-stack/schema.json",
      "README.md",
      "bootstrap.sh",
      "checks/vm-tests.nix",
      "deploy/inventory.sh",
      "deploy/lib.sh",
      "flake.nix",
      "hosts/vps-arm/configuration.nix",
      "hosts/vps-arm/default.nix",
      "hosts/vps-x86/configuration.nix",
      "hosts/vps-x86/default.nix",
      "modules/disk.nix",
      "modules/lib/vm-test-expectations.nix",
      "modules/profiles/vps.nix",
      "modules/security.nix",
      "modules/services/gateway-placeholder.js",
      "modules/services/gateway.nix",
      "modules/system.nix",
      "nixos-stack.json",
      "package.json",
      "plopfile.mjs",
      "secrets/.gitkeep",
      "stack.sh",
      "update.sh",
    ]);
    expect(tree.get("bootstrap.sh")?.mode).toBe(0o755);
    expect(tree.get("hosts/vps-x86/configuration.nix")?.ownership).toBe("scaffold");
    expect(tree.get("flake.nix")?.ownership).toBe("managed");
  });

  it("tells the user to run ./stack.sh, which the repo carries, never a command that needs the packages published", () => {
    expect(MANAGED_NOTE).toContain("then run `./stack.sh sync`");
    for (const [path, f] of tree) expect(f.content, path).not.toMatch(/npm create nixos-stack|npx @nixos-stack|npx nixos-stack/);
    expect(tree.get("stack.sh")).toMatchObject({ mode: 0o755, ownership: "managed" });
    expect(file("README.md")).toContain("./stack.sh sync");
    expect(file("README.md")).toContain("./stack.sh check");
    // the README says which tools run when: the pinned versions, or a clone of the monorepo
    expect(file("README.md")).toContain("NIXOS_STACK_DEV=~/src/nixos-stack ./stack.sh sync");
  });

  it("package.json pins the tools stack.sh runs to this release of them, and is the user's file", () => {
    const pkg = JSON.parse(file("package.json"));
    const own = (path: string) => (JSON.parse(readFileSync(new URL(path, import.meta.url), "utf8")) as { version: string }).version;
    // each pin is the version of that tool in this workspace (released together: .changeset/config.json)
    expect(pkg.devDependencies).toEqual({
      "@nixos-stack/check": `^${own("../../packages/check/package.json")}`,
      "@nixos-stack/generators": `^${own("../../generators/package.json")}`,
      "create-nixos-stack": `^${own("../../packages/create-nixos-stack/package.json")}`,
      plop: expect.stringMatching(/^\^\d+\.\d+\.\d+$/),
    });
    expect(pkg).toMatchObject({ name: stack.name, private: true });
    // written once: upgrading the tools (npm install -D …@latest) is never undone by sync
    expect(tree.get("package.json")!.ownership).toBe("scaffold");
    // and git keeps what npm installs out of the repo (and so out of the flake)
    expect(file(".gitignore").split("\n")).toContain("node_modules/");
  });

  it("marks managed files with the regenerate note and leaves the user's files bare", () => {
    expect(file("flake.nix").split("\n")[0]).toBe(`# ${MANAGED_NOTE}`);
    expect(file("bootstrap.sh").split("\n").slice(0, 2)).toEqual(["#!/usr/bin/env bash", `# ${MANAGED_NOTE}`]);
    expect(file("hosts/vps-x86/configuration.nix")).not.toContain("Managed by nixos-stack");
  });

  it("writes the manifest with $schema and every default spelled out", () => {
    const manifest = JSON.parse(file("nixos-stack.json"));
    expect(manifest.$schema).toBe("./.nixos-stack/schema.json");
    expect(manifest.hosts[0]).toMatchObject({ name: "vps-x86", system: "x86_64-linux", deploy: { sshPort: 2222, address: "203.0.113.7" } });
  });

  it("wires nixpkgs, disko and home-manager with follows, one configuration per host", () => {
    const flake = file("flake.nix");
    expect(flake).toContain('nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.05";');
    // the pinned commit of release-26.05 (templates/pins/upstream-inputs.json; upstream-inputs.test.ts checks every pin)
    expect(flake).toContain(`url = "github:nix-community/home-manager/${upstreamPin("home-manager").commit}";`);
    expect(flake.match(/inputs\.nixpkgs\.follows = "nixpkgs";/g)).toHaveLength(2);
    expect(flake).toMatch(/vps-arm = \{\s+system = "aarch64-linux";/);
    expect(flake).toContain("nixosConfigurations = lib.mapAttrs mkHost hosts;");
  });

  it("follows unstable with home-manager master", () => {
    const flake = renderStack(vpsStack({ nixpkgsBranch: "nixos-unstable" })).get("flake.nix")!.content;
    expect(flake).toContain("nixos-unstable");
    expect(upstreamPin("home-manager-unstable").branch).toBe("master");
    expect(flake).toContain(`github:nix-community/home-manager/${upstreamPin("home-manager-unstable").commit}`);
  });

  it("lays the disk out for BIOS and UEFI without naming the GRUB device", () => {
    const disk = file("modules/disk.nix");
    expect(disk).toMatch(/boot = \{\s+size = "1M";\s+type = "EF02";/);
    expect(disk).toMatch(/ESP = \{\s+size = "512M";\s+type = "EF00";[\s\S]*mountpoint = "\/boot";/);
    expect(disk).toMatch(/format = "ext4";\s+mountpoint = "\/";/);
    expect(disk).toMatch(/efiSupport = true;\s+efiInstallAsRemovable = true;/);
    const grubBlock = /boot\.loader\.grub = \{([^}]*)\}/.exec(disk)?.[1] ?? "";
    expect(grubBlock).toContain("enable = true;");
    expect(grubBlock).not.toMatch(/device/);
    expect(disk).not.toMatch(/grub\.devices?\s*=/);
  });

  it("hardens SSH: key-only, root by key only, the configured port, firewall on", () => {
    const security = file("modules/security.nix");
    expect(security).toContain("PasswordAuthentication = false;");
    expect(security).toContain("KbdInteractiveAuthentication = false;");
    expect(security).toContain('PermitRootLogin = "prohibit-password";');
    expect(security).toContain("ports = [ cfg.sshPort ];");
    expect(security).toMatch(/allowedTCPPorts = \[ 443 \];/);
    expect(security).toMatch(/fail2ban\.enable = lib\.mkEnableOption/);
    expect(security).toMatch(/upgrade = false;/);
    const custom = renderStack(vpsStack({ sshPort: 2200 })).get("hosts/vps-x86/default.nix")!.content;
    expect(custom).toMatch(/security = \{\s+autoUpgrade = true;\s+sshPort = 2200;/);
  });

  it("keeps secrets out of Nix: the gateway reads an environment file in its user's home", () => {
    const gateway = file("modules/services/gateway.nix");
    expect(gateway).toContain('EnvironmentFile = "-${instance.secretsFile}";');
    expect(gateway).toContain("linger = true;");
    expect(gateway).toContain('"HOST=127.0.0.1"');
    expect(file("hosts/vps-x86/default.nix")).toMatch(/gateway = \{\s+port = 18789;\s+user = "gateway";/);
    expect(file(".gitignore")).toContain("/secrets/*");
  });

  it("puts the admins' keys on the hosts and leaves the gateway out when asked", () => {
    expect(file("hosts/vps-arm/default.nix")).toContain(JSON.stringify(TEST_KEY));
    const without = renderStack(vpsStack({ gateway: false }));
    expect(without.has("modules/services/gateway.nix")).toBe(false);
    expect(without.get("hosts/vps-x86/default.nix")!.content).not.toContain("gateway");
  });
});

describe.skipIf(!hasNix && !hasShellcheck)("rendered files pass the real tools", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "nixos-stack-render-"));
    writeTree(renderStack(vpsStack()), dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(!hasNix)("every .nix file parses with nix-instantiate --parse", () => {
    const files = execFileSync("find", [".", "-name", "*.nix"], { cwd: dir, encoding: "utf8" }).trim().split("\n");
    expect(files.length).toBeGreaterThanOrEqual(8);
    const result = spawnSync("nix-instantiate", ["--parse", ...files], { cwd: dir, encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it.skipIf(!hasNix)("host values evaluate back to the manifest's", () => {
    const out = execFileSync(
      "nix-instantiate",
      ["--eval", "--strict", "--json", "-E", "let h = import ./hosts/vps-arm/default.nix { }; in { inherit (h) networking time i18n system stack; }"],
      { cwd: dir, encoding: "utf8" },
    );
    expect(JSON.parse(out)).toEqual({
      networking: { hostName: "vps-arm" },
      time: { timeZone: "UTC" },
      i18n: { defaultLocale: "en_US.UTF-8" },
      system: { stateVersion: "26.05" },
      stack: { admins: { admin: { sshKeys: [TEST_KEY] } }, disk: { device: "/dev/sda" }, security: { autoUpgrade: true, sshPort: 2222 }, gateway: { instances: { gateway: { port: 18789, user: "gateway" } } } },
    });
  });

  it.skipIf(!hasShellcheck)("every script passes bash -n and shellcheck", () => {
    const scripts = ["bootstrap.sh", "update.sh", "stack.sh", "deploy/lib.sh", "deploy/inventory.sh"];
    for (const script of scripts) {
      expect(spawnSync("bash", ["-n", script], { cwd: dir }).status, `bash -n ${script}`).toBe(0);
    }
    const sc = spawnSync("shellcheck", ["-x", ...scripts], { cwd: dir, encoding: "utf8" });
    expect(sc.stdout).toBe("");
    expect(sc.status).toBe(0);
  });

  it("the placeholder gateway serves /health on 127.0.0.1 and guards the rest with its token", async () => {
    const { spawn } = await import("node:child_process");
    const port = await freePort();
    const child = spawn("node", [join(dir, "modules/services/gateway-placeholder.js")], { env: { ...process.env, HOST: "127.0.0.1", PORT: String(port), GATEWAY_TOKEN: "s3cret" }, stdio: ["ignore", "pipe", "inherit"] });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on("data", (d: Buffer) => d.toString().includes("listening") && resolve());
        child.on("exit", (code) => reject(new Error(`placeholder exited ${code}`)));
      });
      const base = `http://127.0.0.1:${port}`;
      expect((await fetch(`${base}/health`)).status).toBe(200);
      expect((await fetch(`${base}/v1/chat`)).status).toBe(401);
      expect((await fetch(`${base}/v1/chat`, { headers: { authorization: "Bearer s3cret" } })).status).toBe(200);
    } finally {
      child.kill("SIGTERM");
    }
  });
});
