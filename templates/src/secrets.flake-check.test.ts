/**
 * The agenix and sops backends under the offline `nix flake check` (the real ryantm/agenix and
 * Mic92/sops-nix flakes at the commits pinned in templates/pins/upstream-inputs.json, with their
 * own options, types and assertions), on both supported branches: a fresh repo evaluates before any secret is encrypted,
 * an encrypted file becomes the backend's secret with the service's owner, and the gateway
 * reads the decrypted path.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Stack } from "@nixos-stack/core";
import { renderStack } from "./index.js";
import { offlineFlakeCheck, offlineInputOverrides, overrideInputArgs, SURFACE_BRANCHES, type SurfaceBranch } from "./test-support/offline-inputs.js";
import { validStack, vpsStack, writeTree } from "./test-support/render-to-disk.js";

const offline = offlineFlakeCheck();
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const BACKENDS = ["agenix", "sops"] as const;
type Backend = (typeof BACKENDS)[number];
/** what `agenix -e` / `sops` would have committed: only the shape matters to evaluation */
const ENCRYPTED: Record<Backend, { file: string; content: string }> = {
  agenix: { file: "secrets/gateway.age", content: "age-encryption.org/v1\n-> ssh-ed25519 abc\n--- def\n" },
  sops: { file: "secrets/gateway.env", content: "GATEWAY_TOKEN=ENC[AES256_GCM,data:abc,iv:def,tag:ghi,type:str]\nsops_version=3.9.0\n" },
};
const DECRYPTED_PATH: Record<Backend, string> = { agenix: "/run/agenix/gateway", sops: "/run/secrets/gateway" };

function stackWith(backend: Backend, branch: SurfaceBranch): Stack {
  const base = vpsStack({ nixpkgsBranch: branch });
  return validStack({ ...base, secrets: { backend } } as never);
}

function repo(stack: Stack, edit?: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), "nixos-stack-secrets-"));
  dirs.push(dir);
  writeTree(renderStack(stack), dir);
  edit?.(dir);
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd: dir });
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "generated");
  return dir;
}

const withEncrypted = (backend: Backend) => (dir: string) => writeFileSync(join(dir, ENCRYPTED[backend].file), ENCRYPTED[backend].content);

function plant(lines: string) {
  return (dir: string) => {
    const file = join(dir, "hosts/vps-x86/configuration.nix");
    const source = readFileSync(file, "utf8").replace("{ pkgs, ... }:\n{\n", `{ pkgs, lib, ... }:\n{\n${lines}\n`);
    if (!source.includes(lines)) throw new Error(`could not plant into ${file}`);
    writeFileSync(file, source);
  };
}

const nixArgs = (branch: SurfaceBranch) => {
  if (!offline.ok) throw new Error(offline.reason);
  return ["--extra-experimental-features", "nix-command flakes", ...overrideInputArgs(offlineInputOverrides(branch, offline.path))];
};

function flakeCheck(dir: string, branch: SurfaceBranch) {
  const r = spawnSync("nix", ["flake", "check", "-v", "--no-build", "--keep-going", "--no-write-lock-file", ...nixArgs(branch)], { cwd: dir, encoding: "utf8" });
  return { status: r.status, log: r.stderr };
}

function evalHost(dir: string, branch: SurfaceBranch, apply: string) {
  const out = execFileSync("nix", ["eval", "--json", "--no-write-lock-file", ".#nixosConfigurations.vps-x86", "--apply", apply, ...nixArgs(branch)], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return JSON.parse(out);
}

describe.runIf(offline.ok).each(SURFACE_BRANCHES)("secrets backends against the %s option surface", (branch) => {
  it.each(BACKENDS)("%s: a fresh repo passes before any secret is encrypted, and warns how to create it", (backend) => {
    const { status, log } = flakeCheck(repo(stackWith(backend, branch)), branch);
    expect(log).not.toMatch(/error/);
    expect(status).toBe(0);
    expect(log).toMatch(/evaluating file '\/nix\/store\/[^']*-source\/modules\/secrets\.nix'/);
    const create = backend === "agenix" ? "cd secrets && agenix -e gateway.age" : "sops secrets/gateway.env";
    expect(log).toContain(`${ENCRYPTED[backend].file} does not exist yet, so the service that reads it waits for it (a system service is not started, its status says why; the gateway and home services start without it): create it with \`${create}\``);
  });

  it.each(BACKENDS)("%s: an encrypted file becomes the backend's secret, owned by the service's user, read by the gateway", (backend) => {
    const dir = repo(stackWith(backend, branch), withEncrypted(backend));
    const { status, log } = flakeCheck(dir, branch);
    expect(log).not.toMatch(/error|does not exist yet/);
    expect(status).toBe(0);
    const option = backend === "agenix" ? "age" : "sops";
    const values = evalHost(
      dir,
      branch,
      `host: let c = host.config; s = c.${option}.secrets.gateway; in {
        secret = { inherit (s) owner group mode path; file = baseNameOf (toString s.${backend === "agenix" ? "file" : "sopsFile"}); format = s.format or null; };
        env = c.home-manager.users.gateway.systemd.user.services.gateway.Service.EnvironmentFile;
      }`,
    );
    expect(values).toEqual({
      secret: { owner: "gateway", group: "users", mode: "0400", path: DECRYPTED_PATH[backend], file: ENCRYPTED[backend].file.split("/")[1], format: backend === "sops" ? "dotenv" : null },
      env: `-${DECRYPTED_PATH[backend]}`,
    });
  });

  it.each(BACKENDS)("%s: fails, naming the entry, when a secret's owner is no user of the host", (backend) => {
    const dir = repo(stackWith(backend, branch), (d) => {
      withEncrypted(backend)(d);
      plant('  stack.secrets.files.gateway.owner = lib.mkForce "ghost";')(d);
    });
    const { status, log } = flakeCheck(dir, branch);
    expect(status).not.toBe(0);
    expect(log).toContain('stack.secrets.files.gateway.owner: no user "ghost" is declared');
  });

  it.each(BACKENDS)("%s: fails upstream's assertion when the host has no SSH key to decrypt with", (backend) => {
    const dir = repo(stackWith(backend, branch), (d) => {
      withEncrypted(backend)(d);
      plant("  services.openssh.hostKeys = lib.mkForce [ ];")(d);
    });
    const { status, log } = flakeCheck(dir, branch);
    expect(status).not.toBe(0);
    expect(log).toContain(backend === "agenix" ? "age.identityPaths must be set, for example by enabling openssh." : "No key source configured for sops.");
  });
});
