/**
 * `create-nixos-stack add-service`: a service on a host of an existing repo. --kind, --host and
 * --name, then the kind's own flags (from its file in generators/src/add-service/kinds); an
 * unanswered one is asked on a terminal, else takes the schema's default. Then the edit pipeline:
 * the whole new manifest validated (unknown host, name, port or user clash) before anything is written.
 */
import { InvalidArgumentError, Option } from "commander";
import { addService, addServiceGenerator, fieldKey, formatEditResult, kindPrompts, readManifest, SERVICE_KIND_PROMPTS, toServiceAnswers } from "@nixos-stack/generators/edit";
import { promptWithGenerator } from "@nixos-stack/generators";
import type { Io } from "../io.js";
import { flagValue, isInteractive, printReport, repoCommand, repoDir, withRepoOptions, type EditFlags } from "./shared.js";

interface AddServiceFlags extends EditFlags {
  kind?: string;
  host?: string;
  name?: string;
  [kindFlag: string]: unknown;
}

/** commander's key for a flag: --ssh-port → sshPort */
const optionKey = (flag: string) => flag.replace(/^--/, "").replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

function program(io: Io) {
  const kinds = SERVICE_KIND_PROMPTS.map((k) => k.kind);
  const cmd = repoCommand("add-service", io)
    .description("Add a service to a host of the nixos-stack repo: nixos-stack.json is edited, the service's files written, the generated files re-rendered; your files stay as they are.")
    .option("--kind <kind>", `what it is: ${kinds.join(", ")} (required)`, flagValue("--kind"))
    .option("--host <host>", "the host it runs on (required)", flagValue("--host"))
    .option("--name <name>", "its name, unique on the host (required)", flagValue("--name"));
  // each kind's flags; one flag shared by two kinds is declared once
  const declared = new Set<string>();
  for (const kind of SERVICE_KIND_PROMPTS) {
    for (const field of kind.fields) {
      if (declared.has(field.flag)) continue;
      declared.add(field.flag);
      const help = `${kind.kind}: ${field.message.replace(/:$/, "")}`;
      if (field.boolean) cmd.addOption(new Option(field.flag, help)).addOption(new Option(`--no-${field.flag.slice(2)}`, `${kind.kind}: the opposite of ${field.flag}`));
      else cmd.addOption(new Option(`${field.flag} <value>`, help).argParser(flagValue(field.flag)));
    }
  }
  return withRepoOptions(cmd);
}

/** The chosen kind's flags → its answers, keyed as the questions are; another kind's flag is refused. */
function kindAnswers(kind: string, flags: AddServiceFlags): Record<string, unknown> {
  const prompts = kindPrompts(kind);
  const mine = new Set(prompts.fields.map((f) => f.flag));
  const answers: Record<string, unknown> = {};
  for (const other of SERVICE_KIND_PROMPTS) {
    for (const field of other.fields) {
      const value = flags[optionKey(field.flag)];
      if (value === undefined) continue;
      if (!mine.has(field.flag)) throw new InvalidArgumentError(`${field.flag} is a flag of a ${other.kind} service, not of a ${kind} one; its flags are ${[...mine].join(", ") || "none"}`);
      if (other.kind !== kind) continue;
      try {
        field.parse(String(value));
      } catch (err) {
        throw new InvalidArgumentError(`${field.flag}: ${(err as Error).message}`);
      }
      answers[fieldKey(kind, field.name)] = String(value);
    }
  }
  return answers;
}

export async function run(args: string[], io: Io): Promise<number> {
  const cmd = program(io);
  cmd.parse(args, { from: "user" });
  const flags = cmd.opts<AddServiceFlags>();
  const dir = repoDir(flags);
  const known: Record<string, unknown> = {};
  for (const key of ["kind", "host", "name"] as const) if (flags[key] !== undefined) known[key] = flags[key];
  try {
    if (flags.kind !== undefined) Object.assign(known, kindAnswers(flags.kind, flags));
  } catch (err) {
    cmd.error(`error: ${(err as Error).message}`, { exitCode: 2 });
  }
  let raw = known;
  if (isInteractive(flags, io)) {
    const doc = await readManifest(dir);
    const generator = addServiceGenerator({ dir, loadStack: async () => doc.stack, hostNames: doc.stack.hosts.map((h) => h.name), known });
    raw = { ...known, ...(await promptWithGenerator("add-service", generator, dir)) };
  } else {
    const missing = (["--kind", "--host", "--name"] as const).filter((flag) => known[flag.slice(2)] === undefined);
    if (missing.length) cmd.error(`error: ${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} required: nothing can be asked here (no terminal, or --yes)`, { exitCode: 2 });
  }
  const result = await addService(dir, toServiceAnswers(raw), { dryRun: flags.dryRun });
  return printReport(formatEditResult(result, { dryRun: flags.dryRun }), io);
}
