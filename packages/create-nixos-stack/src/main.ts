/**
 * `npm create nixos-stack`: flags → answers (prompts only on a TTY) → manifest →
 * render → plan → atomic apply → git init → next steps. Reads top to bottom.
 */
// node:fs/promises through fs.promises, read where it is called: a scaffold never calls it, and loading it costs a start about 1 ms (README, Speed)
import { promises as fsp } from "node:fs";
import { join, resolve } from "node:path";
import { formatPlan, parseStackJson, readLock, StackError, type Stack } from "@nixos-stack/core";
import { ANSWER_FLAGS, answersToStack, defaultAnswers, promptStackAnswers, writeStack, type AnswerSources, type StackAnswers } from "@nixos-stack/generators";
import { loadConfigFile, stripBom } from "./cli/config-file.js";
import { exitCodeForError } from "./cli/exit-code.js";
import { checkCreateTarget } from "./cli/create-target.js";
import { answersFromFlags } from "./cli/known-answers.js";
import type { CreateFlags } from "./cli/options.js";
import { parseCommandLine } from "./cli/parse-command-line.js";
import { isSubcommand } from "./commands/names.js";
import { colors, useStreams, type Io } from "./io.js";
import { firstCommit } from "./steps/first-commit.js";
import { nextSteps } from "./steps/next-steps.js";

async function resolveStack(flags: CreateFlags, dir: string, io: Io): Promise<Stack> {
  const config = flags.config ? await loadConfigFile(flags.config) : undefined;
  const fromFlags = answersFromFlags(flags);
  if (config?.kind === "manifest") {
    const given = Object.keys(fromFlags);
    if (given.length) throw new StackError("invalid-flag", `--config ${flags.config} is a whole manifest; edit it instead of passing ${given.join(", ")}`);
    return config.stack;
  }
  const fromConfig = config?.kind === "answers" ? config.answers : {};
  const known: Partial<StackAnswers> = { ...fromConfig, ...fromFlags };
  const sources: AnswerSources = {};
  for (const key of Object.keys(fromConfig) as (keyof StackAnswers)[]) sources[key] = `"${key}" in ${flags.config}`;
  for (const key of Object.keys(fromFlags) as (keyof StackAnswers)[]) sources[key] = ANSWER_FLAGS[key];
  const defaults = defaultAnswers(dir);
  const interactive = !flags.yes && io.stdinIsTTY;
  if (interactive) useStreams(io);
  const answers = interactive ? await promptStackAnswers({ known, defaults, dir }) : { ...defaults, ...known };
  return answersToStack(answers, sources);
}

async function createStack(flags: CreateFlags, directory: string | undefined, io: Io): Promise<number> {
  const c = colors(io);
  const dir = resolve(directory ?? "my-infra");
  await checkCreateTarget(dir, flags.force);
  const stack = await resolveStack(flags, dir, io);
  const { plan } = await writeStack(stack, { dir, force: flags.force ? "all" : "none", dryRun: flags.dryRun });
  if (flags.dryRun) {
    io.stdout.write(`Dry run: would write ${dir}\n${formatPlan(plan)}\nNothing was written.\n`);
    return 0;
  }
  if (flags.git) {
    const git = await firstCommit(dir); // execa loads only when git runs
    if (git.status !== "done") io.stderr.write(`${c.yellow("!")} git: ${git.reason}\n`);
  }
  if (stack.admins.every((a) => a.sshKeys.length === 0)) {
    io.stderr.write(`${c.yellow("!")} admins[0].sshKeys is empty: \`nix flake check\` fails (on purpose) until you add your SSH public key.\n`);
  }
  io.stdout.write(`${nextSteps(stack, dir, c)}\n`);
  return 0;
}

async function syncStack(flags: CreateFlags, directory: string | undefined, io: Io): Promise<number> {
  const c = colors(io);
  const dir = resolve(directory ?? ".");
  const given = [...Object.keys(answersFromFlags(flags)).map((k) => ANSWER_FLAGS[k as keyof StackAnswers]), ...(flags.config ? ["--config"] : [])];
  if (given.length) {
    throw new StackError("invalid-flag", `--sync re-renders from nixos-stack.json, so ${given.join(", ")} would be ignored: change the manifest instead, then run --sync`);
  }
  const manifestPath = join(dir, "nixos-stack.json");
  const text = await fsp.readFile(manifestPath, "utf8").catch(() => {
    throw new StackError("config-not-found", `${manifestPath}: not found; --sync runs inside a nixos-stack repo (or pass its directory)`);
  });
  const result = parseStackJson(stripBom(text), manifestPath);
  if (!result.ok) throw StackError.invalidManifest(result.errors, manifestPath);
  // the backend of the last render, read before this one rewrites the lock
  const { previousSecretsBackend, secretsSwitchMessage } = await import("@nixos-stack/templates");
  const previousBackend = previousSecretsBackend(Object.keys((await readLock(dir)).managed));
  // --force here replaces generated files edited by hand, never the user's own files
  const { plan, conflicts } = await writeStack(result.stack, { dir, force: flags.force ? "managed" : "none", dryRun: flags.dryRun });
  io.stdout.write(`${flags.dryRun ? "Dry run: " : ""}sync ${dir}\n${formatPlan(plan)}\n`);
  if (conflicts.length) {
    // like create: a change is written whole or not at all, so nothing (not even the lock) was written
    io.stderr.write(
      `${c.red("✖")} generated files edited by hand: ${conflicts.join(", ")}; nothing was written.\n  Move your change into hosts/<name>/configuration.nix (your file, never touched) or nixos-stack.json, then run --sync again; --sync --force replaces these generated files (never your own files).\n`,
    );
    return 1;
  }
  const paths = (action: string) => plan.entries.filter((e) => e.action === action).map((e) => e.path);
  const created = paths("create");
  if (created.length && !flags.dryRun) {
    io.stdout.write(`New files: a flake sees only what git tracks, so run\n  git add ${created.join(" ")}\n`);
  }
  const switched = secretsSwitchMessage(previousBackend, result.stack);
  if (switched) io.stdout.write(`${c.yellow("!")} ${switched}`);
  const orphans = paths("keep-orphan");
  if (orphans.length) {
    io.stderr.write(`${c.yellow("!")} no longer generated, but edited by hand, so left in place: ${orphans.join(", ")}; delete them once your change lives elsewhere\n`);
  }
  return 0;
}

export async function main(argv: string[], io: Io): Promise<number> {
  // add-target, remove-target, add-service, remove-service: run inside a generated repo, loaded only when used
  const [, , first] = argv;
  if (isSubcommand(first)) return (await import("./commands/run.js")).runSubcommand(first, argv.slice(3), io);
  const commandLine = await parseCommandLine(argv, io); // commander loads only for --help, --version and errors
  if (typeof commandLine === "number") return commandLine;
  const { flags, directory } = commandLine;
  if (directory === "") {
    // most likely an unset shell variable ("$DIR"): never read it as "here"
    io.stderr.write(`error: the directory argument is empty; give a directory, or "." for the current one\n`);
    return 2;
  }
  try {
    return await (flags.sync ? syncStack(flags, directory, io) : createStack(flags, directory, io));
  } catch (err) {
    return exitCodeForError(err, io);
  }
}
