/**
 * `nix flake check` for real (Debian's Nix 2.8) on generated repos, offline: the three inputs are
 * replaced by the stub flakes in test-fixtures/stub-inputs. What it proves: flake.nix evaluates
 * under Nix's own flake checker (outputs, checks per system, formatter, packages, devShells), and
 * each host's module closure exists, is tracked by git, parses and loads. What it cannot prove:
 * NixOS option types and assertions, which need the real nixpkgs.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { renderStack } from "./index.js";
import { vpsStack, writeTree } from "./test-support/render-to-disk.js";

const hasNix = spawnSync("nix", ["--version"]).status === 0;
const STUBS = fileURLToPath(new URL("../test-fixtures/stub-inputs", import.meta.url));
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function gitRepo(tree: ReturnType<typeof renderStack>, edit?: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), "nixos-stack-flake-"));
  dirs.push(dir);
  writeTree(tree, dir);
  edit?.(dir);
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd: dir });
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "generated");
  return dir;
}

function flakeCheck(dir: string) {
  const r = spawnSync(
    "nix",
    [
      "--extra-experimental-features", "nix-command flakes",
      "flake", "check", "-v", "--no-build", "--keep-going", "--no-write-lock-file",
      "--override-input", "nixpkgs", `path:${STUBS}/nixpkgs`,
      "--override-input", "disko", `path:${STUBS}/disko`,
      "--override-input", "home-manager", `path:${STUBS}/home-manager`,
    ],
    { cwd: dir, encoding: "utf8" },
  );
  return { status: r.status, log: r.stderr };
}

describe.skipIf(!hasNix)("nix flake check on generated repos (stubbed inputs)", () => {
  it("passes for the VPS preset and loads every host's modules", () => {
    const { status, log } = flakeCheck(gitRepo(renderStack(vpsStack())));
    expect(log).not.toMatch(/error/);
    expect(status).toBe(0);
    for (const file of ["hosts/vps-x86/default.nix", "hosts/vps-arm/default.nix", "modules/system.nix", "modules/security.nix", "modules/disk.nix", "modules/profiles/vps.nix", "modules/services/gateway.nix", "hosts/vps-x86/configuration.nix"]) {
      expect(log).toMatch(new RegExp(`evaluating file '/nix/store/[^']*-source/${file.replace(/\./g, "\\.")}'`));
    }
  });

  it("passes on unstable without the gateway", () => {
    const { status, log } = flakeCheck(gitRepo(renderStack(vpsStack({ nixpkgsBranch: "nixos-unstable", gateway: false }))));
    expect(log).not.toMatch(/error/);
    expect(status).toBe(0);
    expect(log).not.toContain("modules/services/gateway.nix");
  });

  it("picks up hardware-configuration.nix once bootstrap.sh has written it", () => {
    const dir = gitRepo(renderStack(vpsStack()), (d) => writeFileSync(join(d, "hosts/vps-x86/hardware-configuration.nix"), "{ ... }: { }\n"));
    const { status, log } = flakeCheck(dir);
    expect(status).toBe(0);
    expect(log).toMatch(/evaluating file '[^']*hosts\/vps-x86\/hardware-configuration\.nix'/);
  });

  it("fails, naming the file, when a module the host imports is missing (the check can fail)", () => {
    const dir = gitRepo(renderStack(vpsStack()), (d) => rmSync(join(d, "modules/disk.nix")));
    const { status, log } = flakeCheck(dir);
    expect(status).not.toBe(0);
    expect(log).toMatch(/modules\/disk\.nix': No such file or directory/);
  });
});
