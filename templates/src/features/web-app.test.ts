/** The web-app kind's secrets: one file per instance through the repo's backend, and no secret value in the repo. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Stack } from "@nixos-stack/core";
import { renderStack } from "../index.js";
import { validStack, vpsStack, writeTree } from "../test-support/render-to-disk.js";

const PLANTED = "postgres://school:PLANTEDpasswordVALUEabcdefghijklmnop@localhost/school";
const HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILdiGX2od3U8U1zYpWBGYdIoHQ15n5979QMW5SECUXcd";
const CLASSES = ["9a", "9b", "9c", "9d"];
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function schoolStack(backend: Stack["secrets"]["backend"], instance: Record<string, unknown> = {}): Stack {
  const base = vpsStack();
  const school = {
    kind: "web-app",
    name: "school",
    domain: "school.example.org",
    acmeEmail: "ops@example.org",
    acmeAcceptTerms: true,
    instances: CLASSES.map((c, i) => ({ name: `class-${c}`, port: 8081 + i, subdomain: c, ...(i === 0 ? instance : {}) })),
  };
  return validStack({ ...base, secrets: { backend }, hosts: base.hosts.map((h, i) => (i === 0 ? { ...h, hostKey: HOST_KEY, services: [...h.services, school] } : h)) } as never);
}

describe("web-app secrets", () => {
  it.each(["agenix", "sops"] as const)("%s: each instance's secret is its own encrypted file, owned by that instance's user", (backend) => {
    const secrets = renderStack(schoolStack(backend)).get("modules/secrets.nix")!.content;
    for (const c of CLASSES) {
      expect(secrets).toContain(`school-class-${c} = ../secrets/school-class-${c}.${backend === "agenix" ? "age" : "env"};`);
    }
    const host = renderStack(schoolStack(backend)).get(`hosts/${vpsStack().hosts[0]!.name}/default.nix`)!.content;
    // the owner the contract hands to the backend: the instance's user, not root or a shared account
    for (const c of CLASSES) expect(host).toMatch(new RegExp(`\\bschool-class-${c}\\s*=\\s*\\{[^}]*owner = "school-class-${c}";`, "s"));
  });
});

describe("no secret value in the repo", () => {
  it.each(["env-file", "agenix", "sops"] as const)("%s: plaintext secrets an operator leaves beside the repo's files are never tracked, so never in the flake's source", (backend) => {
    const dir = mkdtempSync(join(tmpdir(), "nixos-stack-web-app-"));
    dirs.push(dir);
    writeTree(renderStack(schoolStack(backend)), dir);
    execFileSync("git", ["init", "-q"], { cwd: dir });
    const planted = ["school-class-9a.env", "secrets/school-class-9a.env.plain", "secrets/school-class-9a.plain", ...(backend === "sops" ? [] : ["secrets/school-class-9a.env"])];
    for (const path of planted) writeFileSync(join(dir, path), `DATABASE_URL=${PLANTED}\n`);
    execFileSync("git", ["add", "-A"], { cwd: dir });
    const tracked = execFileSync("git", ["ls-files"], { cwd: dir, encoding: "utf8" }).split("\n").filter(Boolean);
    expect(tracked.filter((f) => readFileSync(join(dir, f), "utf8").includes(PLANTED))).toEqual([]);
  });

  it("a secret-looking environment name on an instance is refused before anything is rendered, and its value never echoed", () => {
    for (const environment of [{ DATABASE_PASSWORD: PLANTED }, { API_TOKEN: PLANTED }]) {
      expect(() => schoolStack("agenix", { environment })).toThrow(/secret/);
      try {
        schoolStack("agenix", { environment });
      } catch (err) {
        expect(String(err)).not.toContain(PLANTED);
      }
    }
  });

  it("no rendered file holds a value from the instances' secret files: the module only reads their paths", () => {
    const tree = renderStack(schoolStack("agenix"));
    const module = tree.get("modules/services/school.nix")!.content;
    expect(module).toContain("config.stack.secrets.files");
    // nothing reads a secret into the Nix store at evaluation time
    expect(module).not.toMatch(/builtins\.readFile[^\n]*secrets/);
  });
});
