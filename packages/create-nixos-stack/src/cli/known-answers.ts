/** Flags → answers. A flag beats the --config file; both beat prompts and defaults. */
import { existsSync, readFileSync } from "node:fs";
import { StackError } from "@nixos-stack/core";
import type { StackAnswers } from "@nixos-stack/generators";
import type { CreateFlags } from "./options.js";

/** --ssh-key takes a key line or a path to a .pub file. */
export function readSshKeyFlag(value: string): string {
  if (/^(ssh-|ecdsa-|sk-)/.test(value.trim())) return value.trim();
  if (!existsSync(value)) throw new StackError("invalid-flag", `--ssh-key ${value}: neither a public key line nor an existing file`);
  if (!value.endsWith(".pub")) throw new StackError("invalid-flag", `--ssh-key ${value}: give the PUBLIC key (the .pub file), never the private one`);
  return readFileSync(value, "utf8").trim().split("\n")[0] ?? "";
}

export function answersFromFlags(flags: CreateFlags): Partial<StackAnswers> {
  const out: Partial<StackAnswers> = {};
  if (flags.preset !== undefined) out.preset = flags.preset as StackAnswers["preset"];
  if (flags.name !== undefined) out.name = flags.name;
  if (flags.admin !== undefined) out.admin = flags.admin;
  if (flags.sshKey !== undefined) out.sshKeys = [readSshKeyFlag(flags.sshKey)];
  if (flags.sshPort !== undefined) out.sshPort = flags.sshPort;
  if (flags.timeZone !== undefined) out.timeZone = flags.timeZone;
  if (flags.locale !== undefined) out.locale = flags.locale;
  if (flags.nixpkgs !== undefined) out.nixpkgsBranch = flags.nixpkgs;
  if (flags.disk !== undefined) out.disk = flags.disk;
  if (flags.address !== undefined) out.address = flags.address;
  if (flags.gateway === false) out.gateway = false;
  return out;
}
