/** Flags → answers. A flag beats the --config file; both beat prompts and defaults. */
import { readFileSync, statSync } from "node:fs";
import { looksLikeKeyLine, publicKeysInFile, StackError } from "@nixos-stack/core";
import type { StackAnswers } from "@nixos-stack/generators";
import type { CreateFlags } from "./options.js";

/**
 * One --ssh-key value: a key line when it reads as one ("<type> <base64> …"), else a file
 * of public keys (a .pub file, an authorized_keys file), every key of which is kept.
 * The keys themselves are checked by the manifest schema, which names each one.
 */
export function readSshKeyFlag(value: string): string[] {
  if (looksLikeKeyLine(value)) return [value.trim()];
  let text: string;
  try {
    if (statSync(value).isDirectory()) throw new StackError("invalid-flag", `--ssh-key ${value}: is a directory; give the public key file in it (e.g. ${value.replace(/\/$/, "")}/id_ed25519.pub)`);
    text = readFileSync(value, "utf8");
  } catch (err) {
    if (err instanceof StackError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new StackError("invalid-flag", `--ssh-key ${value}: neither a public key line nor an existing file`);
    throw new StackError("invalid-flag", `--ssh-key ${value}: cannot read it (${code ?? (err as Error).message})`);
  }
  const found = publicKeysInFile(text);
  if (!found.ok) throw new StackError("invalid-flag", `--ssh-key ${value}: ${found.problem}`);
  return found.keys;
}

export function answersFromFlags(flags: CreateFlags): Partial<StackAnswers> {
  const out: Partial<StackAnswers> = {};
  if (flags.preset !== undefined) out.preset = flags.preset as StackAnswers["preset"];
  if (flags.name !== undefined) out.name = flags.name;
  if (flags.admin !== undefined) out.admin = flags.admin;
  if (flags.sshKey !== undefined) out.sshKeys = flags.sshKey.flatMap(readSshKeyFlag);
  if (flags.sshPort !== undefined) out.sshPort = flags.sshPort;
  if (flags.timeZone !== undefined) out.timeZone = flags.timeZone;
  if (flags.locale !== undefined) out.locale = flags.locale;
  if (flags.nixpkgs !== undefined) out.nixpkgsBranch = flags.nixpkgs;
  if (flags.disk !== undefined) out.disk = flags.disk;
  if (flags.address !== undefined) out.address = flags.address;
  if (flags.gateway === false) out.gateway = false;
  if (flags.user !== undefined) {
    if (flags.admin !== undefined && flags.admin !== flags.user) throw new StackError("invalid-flag", `--user ${flags.user} and --admin ${flags.admin} name the same account: give one of them`);
    out.admin = flags.user;
  }
  if (flags.userDescription !== undefined) out.userDescription = flags.userDescription;
  if (flags.userGroups !== undefined) out.userGroups = flags.userGroups;
  if (flags.shell !== undefined) out.shell = flags.shell as StackAnswers["shell"];
  if (flags.sudo !== undefined) out.sudo = flags.sudo as StackAnswers["sudo"];
  if (flags.deployer !== undefined) out.deployer = flags.deployer as StackAnswers["deployer"];
  if (flags.target !== undefined) out.targets = flags.target;
  return out;
}
