/**
 * `create-nixos-stack add-target`: a new host in an existing repo. Each answer comes from its
 * flag, else a prompt (on a terminal, without --yes), else the repo's default; only --name has
 * none. Then the edit pipeline: manifest edited, validated whole, files re-rendered, one atomic write.
 */
import { InvalidArgumentError } from "commander";
import { PROFILES, SYSTEMS } from "@nixos-stack/core";
import { addTarget, addTargetGenerator, formatEditResult, readManifest, toTargetAnswers, type TargetAnswers } from "@nixos-stack/generators/edit";
import { promptWithGenerator } from "@nixos-stack/generators";
import { SYSTEM_ALIASES } from "@nixos-stack/templates";
import type { Io } from "../io.js";
import { flagValue, isInteractive, printReport, repoCommand, repoDir, withRepoOptions, type EditFlags } from "./shared.js";

interface AddTargetFlags extends EditFlags {
  name?: string;
  system?: string;
  address?: string;
  profile?: string;
  tag?: string[];
  sshPort?: number;
  disk?: string;
}

/** x86_64-linux, aarch64-linux, or the deploy scripts' short names x86 and arm. */
function parseSystem(value: string): string {
  const full = Object.entries(SYSTEM_ALIASES).find(([, alias]) => alias === value)?.[0] ?? value;
  if (!(SYSTEMS as readonly string[]).includes(full)) throw new InvalidArgumentError(`"${value}" is not a system: use ${SYSTEMS.join(", ")} (or x86, arm).`);
  return full;
}

function parsePort(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 65535) throw new InvalidArgumentError(`"${value}" is not a port (1–65535).`);
  return Number(value);
}

function program(io: Io) {
  const cmd = repoCommand("add-target", io)
    .description("Add a target (a host) to the nixos-stack repo: nixos-stack.json is edited, the generated files re-rendered; your files stay as they are.")
    .option("--name <name>", "its host name (required)", flagValue("--name"))
    .option("--system <system>", "x86_64-linux | aarch64-linux (or x86 | arm) (default: x86_64-linux)", parseSystem)
    .option("--address <ip|name>", "where the deploy scripts reach it (default: none; they then need --host)", flagValue("--address"))
    .option("--profile <profile>", `what it is for: ${PROFILES.join(", ")} (default: the profile of the repo's hosts)`, flagValue("--profile"))
    .option("--tag <tag>", "a tag, to deploy groups of targets (repeat for more)", (value: string, all: string[] = []) => [...all, flagValue("--tag")(value)])
    .option("--ssh-port <port>", "its SSH port (default: the first host's)", parsePort)
    .option("--disk <device>", "its disk, wiped by bootstrap.sh (default: the first host's)", flagValue("--disk"));
  return withRepoOptions(cmd);
}

function answersFromFlags(flags: AddTargetFlags): Partial<TargetAnswers> {
  const known: Partial<TargetAnswers> = {};
  for (const key of ["name", "system", "address", "profile", "sshPort", "disk"] as const) if (flags[key] !== undefined) Object.assign(known, { [key]: flags[key] });
  if (flags.tag) known.tags = flags.tag;
  return known;
}

export async function run(args: string[], io: Io): Promise<number> {
  const cmd = program(io);
  cmd.parse(args, { from: "user" });
  const flags = cmd.opts<AddTargetFlags>();
  const dir = repoDir(flags);
  const known = answersFromFlags(flags);
  let answers: TargetAnswers;
  if (isInteractive(flags, io)) {
    const doc = await readManifest(dir);
    const generator = addTargetGenerator({ dir, loadStack: async () => doc.stack, known });
    answers = toTargetAnswers({ ...known, ...(await promptWithGenerator("add-target", generator, dir)) });
  } else {
    if (known.name === undefined) cmd.error("error: --name is required: nothing can be asked here (no terminal, or --yes)", { exitCode: 2 });
    answers = known as TargetAnswers;
  }
  const result = await addTarget(dir, answers, { dryRun: flags.dryRun });
  return printReport(formatEditResult(result, { dryRun: flags.dryRun }), io);
}
