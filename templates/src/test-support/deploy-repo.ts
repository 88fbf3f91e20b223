/**
 * Test support for the generated deploy scripts (bootstrap.sh, update.sh): render a
 * stack into a temporary directory, put recording stand-ins for external commands on
 * a PATH that holds nothing else, and run the scripts against them.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { execa } from "execa";
import { validateStack, type StackInput } from "@nixos-stack/core";
import { presetStack, renderStack, type PresetAnswers } from "../index.js";

export const TEST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u me@laptop";

/** The absolute path of a command on this machine's PATH (never a stub: called before any PATH is built). */
export function whichReal(command: string): string {
  return execFileSync("/bin/sh", ["-c", 'command -v "$1"', "sh", command], { encoding: "utf8" }).trim();
}

/** A temporary directory, removed by `cleanup`. */
export class Scratch {
  readonly root = mkdtempSync(join(tmpdir(), "nixos-stack-deploy-"));
  dir(name: string): string {
    const path = join(this.root, name);
    mkdirSync(path, { recursive: true });
    return path;
  }
  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** The vps preset as a manifest input (before validation), to be changed by a test. */
export function vpsInput(answers: Partial<PresetAnswers> = {}): StackInput {
  return presetStack("vps", { name: "t", sshKeys: [TEST_KEY], ...answers });
}

/** Validates `input`, renders it and writes the tree (with its file modes) under `dir`. */
export function writeRepo(dir: string, input: StackInput): string {
  const result = validateStack(input);
  if (!result.ok) throw new Error(`test stack is invalid: ${JSON.stringify(result.errors)}`);
  for (const [path, file] of renderStack(result.stack)) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    chmodSync(target, file.mode);
  }
  return dir;
}

/**
 * The commands the scripts may use besides the stand-ins, linked into one directory so a
 * test PATH can hold exactly these: the real nix, docker, ssh and rsync of this machine
 * are then invisible unless a test adds them.
 */
export const BASE_TOOLS = ["bash", "cat", "dirname", "basename", "id"] as const;

export function toolDir(at: string, tools: readonly string[]): string {
  mkdirSync(at, { recursive: true });
  for (const tool of tools) {
    const link = join(at, tool);
    if (!existsSync(link)) symlinkSync(whichReal(tool), link);
  }
  return at;
}

/** One recorded run of a stand-in command. */
export interface Call {
  cmd: string;
  cwd: string;
  args: string[];
}

/**
 * Recording stand-ins: each is a bash script that appends its name, working directory
 * and argv to one log (NUL-separated, with the argument count, so any argument survives)
 * and exits with $STUB_EXIT_<name> (default 0). Only bash builtins, so they run on any PATH.
 */
export class Stubs {
  readonly bin: string;
  readonly log: string;
  constructor(at: string, names: readonly string[]) {
    this.bin = at;
    mkdirSync(at, { recursive: true });
    this.log = join(at, "..", `${at.split("/").pop()}.calls`);
    writeFileSync(this.log, "");
    const bash = whichReal("bash");
    for (const name of names) this.add(name, bash);
  }
  private add(name: string, bash: string): void {
    const path = join(this.bin, name);
    writeFileSync(
      path,
      [
        `#!${bash}`,
        `printf '%s\\0' ${JSON.stringify(name)} "$PWD" "$#" "$@" >>${JSON.stringify(this.log)}`,
        `code_var=STUB_EXIT_${name.replace(/[^A-Za-z0-9]/g, "_")}`,
        'exit "${!code_var:-0}"',
        "",
      ].join("\n"),
    );
    chmodSync(path, 0o755);
  }
  calls(): Call[] {
    const fields = readFileSync(this.log, "utf8").split("\0");
    const calls: Call[] = [];
    for (let i = 0; i + 2 < fields.length; ) {
      const cmd = fields[i]!;
      const cwd = fields[i + 1]!;
      const count = Number(fields[i + 2]);
      calls.push({ cmd, cwd, args: fields.slice(i + 3, i + 3 + count) });
      i += 3 + count;
    }
    return calls;
  }
  reset(): void {
    writeFileSync(this.log, "");
  }
}

export interface RunOptions {
  /** Directories for PATH, in order. */
  path: string[];
  cwd?: string;
  env?: Record<string, string>;
  input?: string;
}

export interface ScriptResult {
  /** -1 when the script was killed (timeout) */
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a script with exactly the given PATH and environment (nothing inherited), never throwing. */
export async function runScript(script: string, args: string[], opts: RunOptions): Promise<ScriptResult> {
  const r = await execa(script, args, {
    cwd: opts.cwd ?? dirname(script),
    env: { PATH: opts.path.join(":"), LANG: "C", ...opts.env },
    extendEnv: false,
    input: opts.input ?? "",
    reject: false,
    timeout: 20_000,
  });
  const killed = r.exitCode === undefined ? `\n[killed: ${r.signal ?? "?"}${r.timedOut ? ", timed out" : ""}]` : "";
  return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr + killed };
}
