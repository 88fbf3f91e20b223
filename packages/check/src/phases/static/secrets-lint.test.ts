import { describe, expect, it } from "vitest";
import { LineIndex } from "../../text/line-index.js";
import { lexNix } from "../../text/nix-lexer.js";
import { nixPathRefs } from "../../text/nix-paths.js";
import type { RepoFiles } from "../../repo-files.js";
import { lintNixSecrets, lintSecretFiles, looksEncrypted } from "./secrets-lint.js";

function lint(src: string, file = "modules/app.nix", encrypted: string[] = []) {
  const lines = new LineIndex(src);
  const tokens = lexNix(src);
  return lintNixSecrets(file, src, tokens, lines, nixPathRefs(file, tokens, lines), { isEncrypted: (p) => encrypted.includes(p) });
}

function repo(tracked: string[], untracked: string[], git = true): RepoFiles {
  return { git, tracked: new Set(tracked), untracked: new Set(untracked), files: [...tracked, ...untracked].sort() };
}

describe("lintNixSecrets", () => {
  it("catches a known token format in a string, without printing the token", () => {
    const [f, ...rest] = lint('{\n  env.KEY_ID = "AKIAIOSFODNN7EXAMPLE";\n}\n');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: "secret-literal", severity: "error", line: 2, column: 17 });
    expect(f!.message).toContain("an AWS access key");
    expect(JSON.stringify(f)).not.toContain("AKIAIOSFODNN7EXAMPLE");
  });

  it("catches a literal string given to a secret-named attribute", () => {
    const findings = lint('{\n  services.app.apiToken = "s3cr3t-value";\n  services.db.password = "hunter2";\n}\n');
    expect(findings.map((f) => [f.rule, f.line])).toEqual([
      ["secret-literal", 2],
      ["secret-literal", 3],
    ]);
  });

  it("leaves alone what is not a secret: files read at run time, hashes, options, interpolations, descriptions", () => {
    const src = `{ config, lib, ... }:
{
  options.services.app.token = lib.mkOption { type = lib.types.str; description = "Set TOKEN=abc in the secrets file."; };
  services.app.passwordFile = "/run/secrets/app";
  services.app.tokenFile = config.age.secrets.token.path;
  users.users.admin.hashedPassword = "$6$salt$hash";
  services.app.secret = "\${config.networking.hostName}-x";
  services.openssh.settings.PermitRootLogin = "prohibit-password";
  users.users.admin.openssh.authorizedKeys.keys = [ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample admin" ];
}
`;
    expect(lint(src)).toEqual([]);
  });

  it("catches a secret-named environment variable with a literal value", () => {
    const [f] = lint('{ systemd.services.app.environment = [ "HOST=127.0.0.1" "API_TOKEN=abcd1234" ]; }');
    expect(f).toMatchObject({ rule: "secret-literal" });
    expect(f!.message).toContain("API_TOKEN=");
  });

  it("flags initialPassword as a warning", () => {
    expect(lint('{\n  users.users.root.initialPassword = "changeme";\n}\n')).toEqual([
      expect.objectContaining({ rule: "initial-password", severity: "warning", line: 2 }),
    ]);
  });

  it("catches a path literal into secrets/, relative to the file, but not an encrypted file", () => {
    const src = "{\n  a = ../secrets/api-token;\n  b = ../secrets/db.age;\n  c = ../secrets/sops.yaml;\n  d = ./secrets;\n}\n";
    const findings = lint(src, "modules/app.nix", ["secrets/sops.yaml"]);
    expect(findings.map((f) => [f.rule, f.line])).toEqual([
      ["secret-path-literal", 2],
    ]);
    expect(lint("{ a = ./secrets; }", "flake.nix").map((f) => f.rule)).toEqual(["secret-path-literal"]);
  });
});

describe("looksEncrypted", () => {
  it("recognises agenix and sops files", () => {
    expect(looksEncrypted("secrets/x.age", undefined)).toBe(true);
    expect(looksEncrypted("secrets/s.yaml", "db: ENC[AES256_GCM,data:abc]\nsops:\n  version: 3.8.1\n")).toBe(true);
    expect(looksEncrypted("secrets/s.env", "TOKEN=abc\n")).toBe(false);
  });

  it("does not take a .age name for encryption: the content must be an age file", () => {
    expect(looksEncrypted("secrets/x.age", "age-encryption.org/v1\n-> X25519 abc\n--- def\n")).toBe(true);
    expect(looksEncrypted("secrets/x.age", "-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----\n")).toBe(true);
    expect(looksEncrypted("secrets/x.age", "TOKEN=abc\n")).toBe(false);
  });

  it("recognises a sops dotenv file by its sops_ metadata lines, and not a plaintext one", () => {
    expect(looksEncrypted("secrets/bot.env", "TOKEN=ENC[AES256_GCM,data:abc,iv:d,tag:e,type:str]\nsops_age__list_0__map_recipient=age1x\nsops_mac=ENC[AES256_GCM,data:f]\nsops_version=3.9.0\n")).toBe(true);
    expect(looksEncrypted("secrets/bot.env", "# sops_version=3.9.0 is what an encrypted file has\nTOKEN=abc\n")).toBe(false);
  });
});

describe("lintSecretFiles", () => {
  const onDisk = [{ path: "secrets/.gitkeep", content: "" }, { path: "secrets/token", content: "abc" }, { path: "secrets/db.age", content: "age-encryption.org/v1\n" }];

  it("accepts a plaintext secret that git ignores", () => {
    expect(lintSecretFiles(repo(["secrets/.gitkeep", "secrets/db.age"], []), onDisk)).toEqual([]);
  });

  it("flags a plaintext secret git would add, and one it already tracks", () => {
    expect(lintSecretFiles(repo(["secrets/.gitkeep"], ["secrets/token"]), onDisk)).toEqual([expect.objectContaining({ file: "secrets/token", rule: "secret-file-not-ignored", severity: "error" })]);
    expect(lintSecretFiles(repo(["secrets/.gitkeep", "secrets/token"], []), onDisk)).toEqual([expect.objectContaining({ file: "secrets/token", rule: "secret-file-tracked", severity: "error" })]);
  });

  it("flags a plaintext file named .age that agenix would commit, saying agenix did not encrypt it", () => {
    const files = [{ path: "secrets/bot.age", content: "TOKEN=abc\n" }];
    const [finding] = lintSecretFiles(repo(["secrets/bot.age"], []), files);
    expect(finding).toEqual(expect.objectContaining({ file: "secrets/bot.age", rule: "secret-file-tracked", severity: "error" }));
    expect(finding!.message).toContain("not an age file: agenix did not encrypt it; write it with `cd secrets && agenix -e bot.age`");
  });

  it("accepts a committed sops-encrypted secrets/<name>.env, and flags a plaintext one with the sops command", () => {
    const encrypted = [{ path: "secrets/bot.env", content: "TOKEN=ENC[AES256_GCM,data:abc]\nsops_version=3.9.0\n" }];
    expect(lintSecretFiles(repo(["secrets/bot.env"], []), encrypted)).toEqual([]);
    const plaintext = [{ path: "secrets/bot.env", content: "TOKEN=abc\n" }];
    const [finding] = lintSecretFiles(repo(["secrets/bot.env"], []), plaintext);
    expect(finding).toEqual(expect.objectContaining({ file: "secrets/bot.env", rule: "secret-file-tracked", severity: "error" }));
    expect(finding!.message).toContain("sops -e -i secrets/bot.env");
  });

  it("flags dotenv files and private keys anywhere in the repo, but not examples", () => {
    const findings = lintSecretFiles(repo(["app/.env", "keys/id_ed25519", "app/.env.example", "keys/id_ed25519.pub"], []), []);
    expect(findings.map((f) => f.file)).toEqual(["app/.env", "keys/id_ed25519"]);
  });
});
