/** SSH public keys: one authorized_keys line each, checked down to the encoded key type. */
import * as z from "zod/mini";
import { builtOnce } from "./built-once.js";

/** Key types OpenSSH accepts in authorized_keys. */
export const SSH_KEY_TYPES = [
  "ssh-ed25519",
  "ssh-rsa",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
] as const;

/**
 * The key printed in nixos-stack's documentation as a placeholder. It is well-formed, and
 * nobody holds its private key: a server installed with it locks everyone out.
 */
export const PLACEHOLDER_SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGZlZWRmYWNlZmVlZGZhY2VmZWVkZmFjZWZlZWRmYWNl";

const KEY_LINE = /^(\S+) ([A-Za-z0-9+/]+={0,2})(?: ([^\u0000-\u001f\u007f]*))?$/;
/**
 * `<type> AAAA…`: what tells a key line from a file name (`ssh-laptop.pub` is a file) or other
 * text. Every key blob starts with the 4-byte length of its type name, so its base64 with "AAAA".
 */
const KEY_LINE_START = /^[a-z0-9@.-]+ AAAA[A-Za-z0-9+/]*={0,2}(?:\s|$)/;

export const looksLikeKeyLine = (text: string) => KEY_LINE_START.test(text.trim());

/** The type and base64 of a key line: two lines with the same key but other comments are one key. */
const keyMaterial = (line: string) => line.trim().split(/\s+/).slice(0, 2).join(" ");

/** Checks the key line and that the base64 blob really encodes a key of the declared type. */
export function sshKeyProblem(line: string): string | undefined {
  const match = KEY_LINE.exec(line);
  if (!match) return 'use one line "<type> <base64> [comment]", e.g. the contents of ~/.ssh/id_ed25519.pub';
  const [, type, blob] = match;
  if (!(SSH_KEY_TYPES as readonly string[]).includes(type!)) return `key type "${type}" is not one OpenSSH accepts (${SSH_KEY_TYPES.join(", ")})`;
  const bytes = Buffer.from(blob!, "base64");
  if (bytes.length < 4) return "the base64 part is too short to be a key";
  const nameLength = bytes.readUInt32BE(0);
  const embedded = bytes.subarray(4, 4 + nameLength).toString("latin1");
  if (embedded !== type) return `the base64 part does not encode a ${type} key (is it truncated or pasted from another key?)`;
  // the rest is a sequence of length-prefixed fields that must end exactly at the end of the blob
  let offset = 4 + nameLength;
  let fields = 0;
  while (offset + 4 <= bytes.length) {
    offset += 4 + bytes.readUInt32BE(offset);
    fields++;
  }
  if (fields === 0 || offset !== bytes.length) return "the key is truncated: copy the whole line of the .pub file";
  if (keyMaterial(line) === PLACEHOLDER_SSH_KEY) {
    return "is the placeholder key from nixos-stack's examples: nobody has its private key, so a server installed with it locks everyone out. Use your own: `ssh-keygen -t ed25519`, then give its .pub file (~/.ssh/id_ed25519.pub)";
  }
  return undefined;
}

export const sshPublicKey = builtOnce(() => z.string().check(
  z.superRefine((line, ctx) => {
    const problem = sshKeyProblem(line);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
));

/**
 * A host's SSH key for agenix and sops: ed25519 only, the one type both turn into an age
 * recipient (ssh-to-age converts ed25519 keys only: Mic92/ssh-to-age README).
 */
export const hostKey = builtOnce(() => z.string().check(z.superRefine((line, ctx) => {
  const problem = sshKeyProblem(line);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
  else if (!line.trim().startsWith("ssh-ed25519 ")) ctx.addIssue({ code: "custom", message: "use the host's ed25519 key: the line of /etc/ssh/ssh_host_ed25519_key.pub on the host (or `ssh-keyscan -t ed25519 <host>`)" });
})));

export type KeyFileResult = { ok: true; keys: string[] } | { ok: false; problem: string };

/**
 * The public keys in a file's text: every line that is not empty or a `#` comment,
 * LF or CRLF (an authorized_keys file or https://github.com/<user>.keys works too).
 * Each key is checked fully by the manifest schema; this only recognises the file.
 */
export function publicKeysInFile(text: string): KeyFileResult {
  const content = text.replace(/^\uFEFF/, "");
  if (/^\s*(-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----|PuTTY-User-Key-File-)/.test(content)) {
    return { ok: false, problem: "is a PRIVATE key: give the public key (the .pub file beside it), never the private one" };
  }
  if (/^\s*---- BEGIN SSH2 PUBLIC KEY ----/.test(content)) {
    return { ok: false, problem: "is an RFC 4716 (SSH2) public key: convert it to an OpenSSH line with `ssh-keygen -i -f <file>`" };
  }
  const lines = content.split(/\r\n|\r|\n/).map((line, i) => ({ number: i + 1, text: line.trim() }));
  const keyLines = lines.filter((l) => l.text !== "" && !l.text.startsWith("#"));
  if (keyLines.length === 0) return { ok: false, problem: 'has no public key line ("ssh-ed25519 AAAA… comment")' };
  const bad = keyLines.find((l) => !looksLikeKeyLine(l.text));
  if (bad) return { ok: false, problem: `line ${bad.number} is not a public key line ("<type> <base64> [comment]", as in ~/.ssh/id_ed25519.pub)` };
  return { ok: true, keys: keyLines.map((l) => l.text) };
}
