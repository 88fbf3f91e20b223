/** Test helpers: temp dirs, fixture copies, git repos made at test time, a rendered example repo. */
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { apply, plan, validateStack } from "@nixos-stack/core";
import { presetStack, renderStack } from "@nixos-stack/templates";
import { execa } from "execa";
import { findOnPath } from "../tools.js";

export const FIXTURES = fileURLToPath(new URL("../../test-fixtures/", import.meta.url));
export const EXAMPLES = fileURLToPath(new URL("../../../../examples/", import.meta.url));

const made: string[] = [];

export async function tempDir(prefix = "nixos-stack-check-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

/** A copy of test-fixtures/<name> in a fresh temp dir. */
export async function copyFixture(name: string): Promise<string> {
  const dir = join(await tempDir(), name.replace(/\//g, "-"));
  await cp(join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

export async function git(dir: string, ...args: string[]): Promise<string> {
  return (await execa("git", ["-c", "user.name=t", "-c", "user.email=t@t", "-c", "init.defaultBranch=main", ...args], { cwd: dir })).stdout;
}

/** git init, then add `paths` (default: everything not ignored) and optionally commit. */
export async function gitInit(dir: string, options: { add?: string[]; commit?: boolean } = {}): Promise<void> {
  await git(dir, "init", "-q");
  await git(dir, "add", ...(options.add ?? ["-A"]));
  if (options.commit) await git(dir, "commit", "-q", "-m", "fixture");
}

/** A well-formed (made-up) ed25519 public key line: the type name and 32 key bytes, length-prefixed. */
export function fakeSshKey(comment = "admin@example"): string {
  const field = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  const blob = Buffer.concat([field(Buffer.from("ssh-ed25519")), field(Buffer.alloc(32, 7))]);
  return `ssh-ed25519 ${blob.toString("base64")} ${comment}`;
}

/** The vps preset rendered and applied (with its lock file) into a temp dir, as `npm create nixos-stack` writes it. */
export async function renderedVpsRepo(): Promise<string> {
  const dir = join(await tempDir(), "vps");
  const result = validateStack(presetStack("vps", { name: "vps-example", sshKeys: [fakeSshKey()] }));
  if (!result.ok) throw new Error(`the vps preset is not a valid stack: ${JSON.stringify(result.errors)}`);
  const tree = renderStack(result.stack);
  await apply(await plan(tree, dir), tree);
  return dir;
}

/** Whether a binary is on PATH; when it is not, the reason a test is skipped is printed. */
export async function requireBinary(name: string): Promise<boolean> {
  if (await findOnPath(name)) return true;
  console.warn(`skipped: \`${name}\` is not installed (CI installs it)`);
  return false;
}
