/** The agenix and sops backends' rendered files, read the way their tools read them. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Stack } from "@nixos-stack/core";
import { renderStack } from "../index.js";
import { TEST_KEY, validStack, vpsStack, writeTree } from "../test-support/render-to-disk.js";
import { ageRecipientOfSshKey } from "./age-recipient.js";
import { rsyncSecretsFilter } from "./secrets-backends.js";

const HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILdiGX2od3U8U1zYpWBGYdIoHQ15n5979QMW5SECUXcd";
const PLANTED = "sk-proj-PLANTEDsecretVALUE0123456789abcdef";
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The VPS preset (gateway on both hosts) with a backend; vps-x86 has its host key, vps-arm not yet. */
function stackWith(backend: Stack["secrets"]["backend"]): Stack {
  const base = vpsStack();
  return validStack({ ...base, secrets: { backend }, hosts: base.hosts.map((h) => (h.name === "vps-x86" ? { ...h, hostKey: HOST_KEY } : h)) } as never);
}

function onDisk(stack: Stack): string {
  const dir = mkdtempSync(join(tmpdir(), "nixos-stack-secrets-render-"));
  dirs.push(dir);
  writeTree(renderStack(stack), dir);
  execFileSync("git", ["init", "-q"], { cwd: dir });
  return dir;
}

const ignored = (dir: string, path: string) => {
  try {
    execFileSync("git", ["check-ignore", "-q", path], { cwd: dir });
    return true;
  } catch {
    return false;
  }
};

describe("agenix", () => {
  it("secrets/secrets.nix gives each secret to the admins and to the hosts that run it, once they have a key", () => {
    const dir = onDisk(stackWith("agenix"));
    const rules = JSON.parse(execFileSync("nix-instantiate", ["--eval", "--strict", "--json", join(dir, "secrets/secrets.nix")], { encoding: "utf8" }));
    expect(rules).toEqual({ "gateway.age": { publicKeys: [TEST_KEY, HOST_KEY] } });
  });

  it("marks a host without a key with a placeholder that says how to add it after its first boot", () => {
    const rules = renderStack(stackWith("agenix")).get("secrets/secrets.nix")!.content;
    const placeholder = rules.slice(rules.indexOf("PLACEHOLDER"), rules.indexOf("vps-arm = [ ];"));
    expect(placeholder).toContain("ssh-keyscan -t ed25519");
    expect(placeholder).toContain("cat /etc/ssh/ssh_host_ed25519_key.pub");
    expect(placeholder).toContain("agenix -r");
  });

  it("docs/secrets.md lists each encrypted file and the commands to create, re-key and add a host key", () => {
    const docs = renderStack(stackWith("agenix")).get("docs/secrets.md")!.content;
    expect(docs).toContain("- `secrets/gateway.age` (hosts: vps-x86, vps-arm)");
    for (const command of ["agenix -e <name>.age", "agenix -r", "ssh-keyscan -t ed25519", "cat /etc/ssh/ssh_host_ed25519_key.pub"]) expect(docs).toContain(command);
    const sopsDocs = renderStack(stackWith("sops")).get("docs/secrets.md")!.content;
    for (const command of ["sops secrets/<name>.env", "sops updatekeys", "ssh-to-age -- -private-key -i ~/.ssh/id_ed25519"]) expect(sopsDocs).toContain(command);
  });

  it("adds the agenix input and module to the flake, and modules/secrets.nix to the hosts with a secret", () => {
    const tree = renderStack(stackWith("agenix"));
    const flake = tree.get("flake.nix")!.content;
    // at the commit templates/pins/upstream-inputs.json pins (the tree the offline checks evaluate)
    expect(flake).toMatch(/agenix = \{\n\s+url = "github:ryantm\/agenix\/[0-9a-f]{40}";\n\s+inputs\.nixpkgs\.follows = "nixpkgs";/);
    expect(flake).toContain("inputs.agenix.nixosModules.default");
    expect(tree.get("hosts/vps-arm/default.nix")!.content).toContain("../../modules/secrets.nix");
    expect(tree.get("modules/secrets.nix")!.content).toContain("gateway = ../secrets/gateway.age;");
  });

  it("lets git track the encrypted files and the rules, but never a plaintext secret: the flake source holds no secret value", () => {
    const dir = onDisk(stackWith("agenix"));
    writeFileSync(join(dir, "secrets/gateway.age"), "age-encryption.org/v1\n-> ssh-ed25519 abc\n--- def\n");
    writeFileSync(join(dir, "secrets/gateway.env"), `GATEWAY_TOKEN=${PLANTED}\n`);
    execFileSync("git", ["add", "-A"], { cwd: dir });
    const tracked = execFileSync("git", ["ls-files"], { cwd: dir, encoding: "utf8" }).split("\n");
    expect(tracked).toEqual(expect.arrayContaining(["secrets/gateway.age", "secrets/secrets.nix"]));
    expect(tracked).not.toContain("secrets/gateway.env");
    const withValue = tracked.filter((f) => f !== "" && readFileSync(join(dir, f), "utf8").includes(PLANTED));
    expect(withValue).toEqual([]);
  });
});

describe("sops", () => {
  const rules = (stack: Stack) => {
    const text = renderStack(stack).get(".sops.yaml")!.content;
    // each rule's values are JSON strings, which YAML reads the same
    return [...text.matchAll(/- path_regex: ("[^\n]*")\n\s+age: ("[^\n]*")/g)].map((m) => ({ pathRegex: new RegExp(JSON.parse(m[1]!)), age: (JSON.parse(m[2]!) as string).split(",") }));
  };

  it(".sops.yaml encrypts secrets/<name>.env to the admins' and the running hosts' keys in age form", () => {
    const [rule, ...rest] = rules(stackWith("sops"));
    expect(rest).toEqual([]);
    expect(rule!.pathRegex.test("secrets/gateway.env")).toBe(true);
    expect(rule!.pathRegex.test("/home/me/infra/secrets/gateway.env")).toBe(true);
    expect(rule!.pathRegex.test("secrets/gateway.envy")).toBe(false);
    expect(rule!.age).toEqual([ageRecipientOfSshKey(TEST_KEY), ageRecipientOfSshKey(HOST_KEY)]);
    expect(renderStack(stackWith("sops")).get(".sops.yaml")!.content).toContain("PLACEHOLDER: no hostKey yet for vps-arm");
  });

  it("adds the sops-nix input and module, and names each secret's own dotenv file", () => {
    const tree = renderStack(stackWith("sops"));
    expect(tree.get("flake.nix")!.content).toContain("inputs.sops-nix.nixosModules.default");
    const module = tree.get("modules/secrets.nix")!.content;
    expect(module).toContain("gateway = ../secrets/gateway.env;");
    expect(module).toContain('format = "dotenv";');
  });

  it("lets git track secrets/<name>.env, which sops encrypts in place, and still ignores other plaintext there", () => {
    const dir = onDisk(stackWith("sops"));
    expect(ignored(dir, "secrets/gateway.env")).toBe(false);
    expect(ignored(dir, "secrets/token")).toBe(true);
    expect(ignored(dir, "app/.env")).toBe(true);
  });
});

describe("env-file", () => {
  it("adds no agenix/sops input, no recipients, and leaves the gateway's secrets in its home", () => {
    const tree = renderStack(stackWith("env-file"));
    expect(tree.get("flake.nix")!.content).not.toMatch(/agenix|sops/);
    expect([...tree.keys()].filter((p) => p === ".sops.yaml" || p === "secrets/secrets.nix")).toEqual([]);
    expect(tree.get("hosts/vps-x86/default.nix")!.content).not.toContain("secrets");
    const dir = onDisk(stackWith("env-file"));
    expect(ignored(dir, "secrets/gateway.env")).toBe(true);
    expect(ignored(dir, "secrets/gateway.age")).toBe(true);
  });
});

describe("what update.sh copies to the server (rsync with its filter rules)", () => {
  /** rsync, locally, of a repo holding every kind of secrets/ file, with update.sh's secrets rules */
  const copied = (stack: Stack) => {
    const src = onDisk(stack);
    for (const [file, content] of Object.entries({ "secrets/gateway.age": "age-encryption.org/v1\n", "secrets/gateway.env": "TOKEN=x\n", "secrets/token": "x", "secrets/gateway.age.dec": "x" })) writeFileSync(join(src, file), content);
    const dest = mkdtempSync(join(tmpdir(), "nixos-stack-rsync-"));
    dirs.push(dest);
    execFileSync("rsync", ["-rlpt", "--exclude", ".git/", ...rsyncSecretsFilter(stack), "--exclude", "*.env", "--exclude", "*.key", "--exclude", "*.age.dec", `${src}/`, `${dest}/`]);
    return execFileSync("find", [".", "-path", "./secrets/*", "-type", "f"], { cwd: dest, encoding: "utf8" }).split("\n").filter(Boolean).map((f) => f.slice(2)).sort();
  };

  it("agenix: the encrypted files and the rules, which the server builds from; no plaintext", () => {
    expect(copied(stackWith("agenix"))).toEqual(["secrets/gateway.age", "secrets/secrets.nix"]);
  });

  it("sops: the files sops encrypts in place; no other file of secrets/", () => {
    expect(copied(stackWith("sops"))).toEqual(["secrets/gateway.env"]);
  });

  it("env-file: nothing of secrets/", () => {
    expect(copied(stackWith("env-file"))).toEqual([]);
  });
});
