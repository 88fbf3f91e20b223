/**
 * Secrets lint. Anything a .nix file spells out, and any file a path literal
 * names, ends up in the Nix store, which every user and process on the machine
 * can read (and binary caches can copy). So: no secret-looking string literals,
 * no path literal into secrets/ (unless the file is encrypted: agenix .age, sops),
 * plaintext secret files ignored by git, and `initialPassword` flagged.
 */
import type { LineIndex } from "../../text/line-index.js";
import type { NixToken } from "../../text/nix-lexer.js";
import type { PathRef } from "../../text/nix-paths.js";
import type { RepoFiles } from "../../repo-files.js";
import type { Finding } from "../../types.js";

export const SECRETS_DIR = "secrets";

/** Token formats that are secrets wherever they appear (the provider's documented prefixes). */
const SECRET_FORMATS: Array<{ name: string; re: RegExp }> = [
  { name: "a private key", re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/ },
  { name: "an AWS access key", re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: "a GitHub token", re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/ },
  { name: "a GitLab token", re: /\bglpat-[A-Za-z0-9_-]{20,}/ },
  { name: "a Slack token", re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { name: "a Stripe secret key", re: /\b[rs]k_live_[A-Za-z0-9]{16,}/ },
  { name: "an API secret key (sk-…)", re: /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}/ },
  { name: "a Google API key", re: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { name: "a Tailscale auth key", re: /\btskey-[a-z]+-[A-Za-z0-9-]{16,}/ },
  { name: "a JSON web token", re: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
  { name: "a password in a URL", re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/$]+:[^\s@/$]{3,}@/ },
];

/** `FOO_TOKEN=abc` inside a string (an Environment= line, a script): a literal value for a secret-named variable. */
const ENV_ASSIGNMENT = /\b[A-Z0-9_]*(?:PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_KEY)[A-Z0-9_]*=(?![$"'\s]|\\)(\S{3,})/;

/** Attribute names whose string value is a secret… */
const SECRET_NAME = /(?:password|passwd|passphrase|secret|token|api_?key|access_?key|private_?key|credentials?)$/i;
/** …unless they name a hash, or a file holding it (read at run time: the right way). */
const NOT_SECRET_NAME = /^(?:hashed|initialHashed)|(?:file|path|command|cmd|dir|url|length|hash)$/i;
/** Strings that document rather than configure. */
const PROSE_ATTRS = new Set(["description", "example", "longDescription", "defaultText"]);

/** Show enough of a secret to find it, never the secret itself. */
export function mask(secret: string): string {
  return secret.length <= 6 ? "…" : `${secret.slice(0, 4)}…`;
}

function maskedLine(line: string | undefined, secret: string): string | undefined {
  return line?.split(secret).join(mask(secret));
}

/** Pure: the attribute a token is the value of (`name = <token>`), if any. */
function assignedName(tokens: readonly NixToken[], i: number): string | undefined {
  const eq = tokens[i - 1];
  const name = tokens[i - 2];
  if (eq?.kind !== "punct" || eq.text !== "=" || !name) return undefined;
  if (name.kind === "ident") return name.text;
  if (name.kind === "string" && !name.interpolated) return name.value;
  return undefined;
}

export interface NixSecretsContext {
  /** whether a repo file under secrets/ is encrypted (agenix, sops), so referencing it is fine */
  isEncrypted: (path: string) => boolean;
}

/** Pure: secret literals, secret paths and initialPassword in one .nix file. */
export function lintNixSecrets(file: string, content: string, tokens: readonly NixToken[], lines: LineIndex, refs: readonly PathRef[], ctx: NixSecretsContext): Finding[] {
  const findings: Finding[] = [];
  const at = (offset: number) => lines.position(offset);
  const finding = (offset: number, rule: string, severity: Finding["severity"], message: string, secret?: string): Finding => {
    const { line, column } = at(offset);
    const source = lines.lineText(line);
    return { phase: "static", severity, file, line, column, rule, message, source: secret ? maskedLine(source, secret) : source };
  };
  tokens.forEach((t, i) => {
    if (t.kind !== "string" && t.kind !== "uri" && t.kind !== "ident") return;
    if (t.kind === "ident") {
      const next = tokens[i + 1];
      if (t.text === "initialPassword" && next?.kind === "punct" && next.text === "=") {
        findings.push(finding(t.offset, "initial-password", "warning", "initialPassword is set: that password is readable in the Nix store by everyone on the machine and stays valid until changed; log in with SSH keys (or use hashedPasswordFile) and remove it"));
      }
      return;
    }
    const raw = content.slice(t.offset, t.kind === "string" ? t.end : t.offset + t.text.length);
    const value = t.kind === "string" ? t.value : t.text;
    const name = assignedName(tokens, i);
    for (const format of SECRET_FORMATS) {
      const m = format.re.exec(value);
      if (!m) continue;
      const offset = t.offset + Math.max(0, raw.indexOf(m[0].slice(0, 12)));
      findings.push(finding(offset, "secret-literal", "error", `${format.name} (${mask(m[0])}) is written in a .nix file, so it ends up in the world-readable Nix store: revoke it, and read it at run time from a file outside the store (secrets/ + an EnvironmentFile, or agenix/sops)`, m[0]));
      return;
    }
    if (t.kind !== "string" || t.interpolated) return;
    if (name === "initialPassword") return; // its own rule, above
    if (name && SECRET_NAME.test(name) && !NOT_SECRET_NAME.test(name) && t.value.trim() !== "" && !t.value.startsWith("/")) {
      findings.push(finding(t.offset, "secret-literal", "error", `\`${name}\` is set to a literal string, which ends up in the world-readable Nix store: use the option's …File variant or a path read at run time (secrets/ + an EnvironmentFile, or agenix/sops)`, t.value));
      return;
    }
    const env = name && PROSE_ATTRS.has(name) ? null : ENV_ASSIGNMENT.exec(t.value);
    if (env) {
      const offset = t.offset + Math.max(0, raw.indexOf(env[0].slice(0, 12)));
      findings.push(finding(offset, "secret-literal", "error", `a secret-named variable is given a literal value (${env[0].split("=")[0]}=${mask(env[1]!)}), which ends up in the world-readable Nix store: load it from an EnvironmentFile outside the store`, env[1]));
    }
  });
  for (const ref of refs) {
    if (ref.target === undefined || !(ref.target === SECRETS_DIR || ref.target.startsWith(`${SECRETS_DIR}/`))) continue;
    if (!ref.dirPrefix && ref.target !== SECRETS_DIR && (ref.target.endsWith(".age") || ctx.isEncrypted(ref.target) || isSecretsHousekeeping(ref.target))) continue;
    findings.push({
      phase: "static",
      severity: "error",
      file,
      line: ref.line,
      column: ref.column,
      rule: "secret-path-literal",
      source: lines.lineText(ref.line),
      message: `the path literal ${ref.literal} copies ${ref.target} into the world-readable Nix store: refer to the secret by a string path read at run time (e.g. "/run/secrets/…" or an EnvironmentFile), or encrypt it with agenix/sops`,
    });
  }
  return findings;
}

/** Files in secrets/ that are not secrets: keep files, docs, agenix's rules file, public keys. */
export function isSecretsHousekeeping(path: string): boolean {
  const name = path.split("/").pop()!;
  return name === ".gitkeep" || name === ".gitignore" || /^readme/i.test(name) || name.endsWith(".nix") || name.endsWith(".pub");
}

/** Pure: an age file (agenix's .age), binary or armored (age-encryption.org/v1 spec: the header line, or the PEM armor). */
export function isAgeFile(content: string): boolean {
  return content.startsWith("age-encryption.org/v1\n") || content.startsWith("-----BEGIN AGE ENCRYPTED FILE-----");
}

/**
 * Pure: encrypted by agenix (an age file) or sops (its metadata: `sops:` in YAML, `"sops":` in JSON,
 * `sops_…=` lines in dotenv, `[sops]` in INI), so it may be committed and referenced. A `.age` file
 * whose content is known must really be an age file: plaintext renamed `.age` is still plaintext.
 */
export function looksEncrypted(path: string, content: string | undefined): boolean {
  if (content === undefined) return path.endsWith(".age");
  if (path.endsWith(".age")) return isAgeFile(content);
  return (
    isAgeFile(content) ||
    content.startsWith("-----BEGIN PGP MESSAGE-----") ||
    content.includes("ENC[AES256_GCM,") ||
    /^sops:/m.test(content) ||
    /"sops"\s*:/.test(content) ||
    /^sops_(?:version|mac|lastmodified)=/m.test(content) ||
    /^\[sops\]/m.test(content)
  );
}

/** Names that hold secrets wherever they are in the repo (dotenv files, private keys). */
const SECRET_FILE_NAME = /(?:^|\/)(?:\.env(?:\.[^/]*)?|[^/]+\.env|[^/]+\.key|id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?|[^/]+\.age\.dec)$/;
const NOT_SECRET_FILE_NAME = /\.(?:example|sample|template|dist)$/;

/** What the backend that owns a plaintext file under secrets/ would have written instead. */
function encryptHint(path: string): string {
  if (!path.startsWith(`${SECRETS_DIR}/`)) return "";
  const name = path.slice(SECRETS_DIR.length + 1);
  if (name.endsWith(".age")) return ` (named .age, but not an age file: agenix did not encrypt it; write it with \`cd ${SECRETS_DIR} && agenix -e ${name}\`)`;
  if (/\.(?:env|ya?ml|json|ini)$/.test(name)) return ` (no sops metadata: if this repo uses sops, encrypt it in place with \`sops -e -i ${path}\`, or edit it with \`sops ${path}\`)`;
  return "";
}

export interface SecretFile {
  path: string;
  content?: string;
}

/**
 * Pure: plaintext secret files must be ignored by git. `secretsDirFiles` is what is on disk under
 * secrets/ (ignored files included, which git does not list); the rest of the repo comes from `repo`.
 */
export function lintSecretFiles(repo: RepoFiles, secretsDirFiles: readonly SecretFile[]): Finding[] {
  const findings: Finding[] = [];
  const candidates = new Map<string, SecretFile>();
  const encrypted = new Set<string>();
  for (const f of secretsDirFiles) {
    if (isSecretsHousekeeping(f.path)) continue;
    if (looksEncrypted(f.path, f.content)) encrypted.add(f.path);
    else candidates.set(f.path, f);
  }
  // sops encrypts secrets/<name>.env in place: an encrypted one is meant to be committed
  for (const path of repo.files) if (SECRET_FILE_NAME.test(path) && !NOT_SECRET_FILE_NAME.test(path) && !candidates.has(path) && !encrypted.has(path)) candidates.set(path, { path });
  for (const { path } of [...candidates.values()].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    if (!repo.git) {
      findings.push({ phase: "static", severity: "warning", file: path, rule: "secret-file-not-ignored", message: "looks like a plaintext secret, and this is not a git repository, so nothing keeps it out of a commit: git init, and keep /secrets/* in .gitignore" });
    } else if (repo.tracked.has(path)) {
      findings.push({ phase: "static", severity: "error", file: path, rule: "secret-file-tracked", message: `a plaintext secret is tracked by git (so it is in the flake's source in the Nix store, and in the history)${encryptHint(path)}: \`git rm --cached ${path}\`, ignore it in .gitignore, and rotate the secret` });
    } else if (repo.untracked.has(path)) {
      findings.push({ phase: "static", severity: "error", file: path, rule: "secret-file-not-ignored", message: `a plaintext secret is not ignored by git, so \`git add -A\` would commit it${encryptHint(path)}: add it (or /${SECRETS_DIR}/*) to .gitignore` });
    }
  }
  return findings;
}
