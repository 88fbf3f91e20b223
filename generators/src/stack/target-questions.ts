/**
 * The fleet's targets, asked one by one: name, system, address, profile, tags, SSH user and
 * port. Each answer is checked with the manifest's rule for that field; the whole manifest is
 * validated again before anything is written. Pressing Enter through every question gives the
 * three-target fleet of `--yes` (DEFAULT_FLEET_TARGETS); an empty name ends the list.
 */
import { FLEET_PROFILES, rules, SYSTEMS, TAG_NAME } from "@nixos-stack/core";
import { DEFAULT_FLEET_TARGETS, type FleetTargetAnswer } from "@nixos-stack/templates";

/** The part of inquirer the questions use (plop hands the generator its inquirer). */
export interface Inquirer {
  prompt(questions: readonly object[]): Promise<Record<string, unknown>>;
}

const check = (problem: string | undefined): true | string => problem ?? true;
const ruleProblem = (rule: () => { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } }, value: unknown) => {
  const result = rule().safeParse(value);
  return result.success ? undefined : (result.error?.issues[0]?.message ?? "invalid");
};

/** "lab, always-on" or "lab+always-on" → ["lab", "always-on"] (`--target tags=a+b` uses '+'). */
export function parseTagList(input: string): string[] {
  return input.split(/[,+\s]+/).map((t) => t.trim()).filter(Boolean);
}

export function targetNameProblem(name: string, taken: readonly string[], first: boolean): string | undefined {
  if (name === "") return first ? "a fleet needs at least one target: type its host name" : undefined;
  if (taken.includes(name)) return `"${name}" is already a target: give each its own name`;
  return ruleProblem(rules.hostName, name);
}

export function tagsProblem(input: string): string | undefined {
  const tags = parseTagList(input);
  const bad = tags.find((t) => !TAG_NAME.test(t));
  if (bad !== undefined) return `tag "${bad}": use lowercase letters, digits and '-', 1–32 characters, starting with a letter or digit`;
  const repeated = tags.find((t, i) => tags.indexOf(t) !== i);
  return repeated === undefined ? undefined : `tag "${repeated}" is given twice`;
}

/** Asks for targets until an empty name; `primaryUser` and `sshPort` (from --ssh-port, else 22) are each one's defaults. */
export async function askFleetTargets(inquirer: Inquirer, primaryUser: string, sshPort = 22): Promise<FleetTargetAnswer[]> {
  const targets: FleetTargetAnswer[] = [];
  for (;;) {
    const suggested = DEFAULT_FLEET_TARGETS[targets.length];
    const first = targets.length === 0;
    const taken = targets.map((t) => t.name);
    const { name } = await inquirer.prompt([
      {
        type: "input",
        name: "name",
        message: first ? "First target's host name:" : `Target ${targets.length + 1}'s host name (empty: no more targets):`,
        default: suggested?.name ?? "",
        filter: (v: string) => v.trim(),
        validate: (v: string) => check(targetNameProblem(String(v).trim(), taken, first)),
      },
    ]);
    if (typeof name !== "string" || name === "") return targets;
    const a = await inquirer.prompt([
      { type: "list", name: "system", message: `${name}: system:`, choices: SYSTEMS.map((v) => ({ name: v, value: v })), default: suggested?.system ?? "x86_64-linux" },
      { type: "input", name: "address", message: `${name}: address on the LAN (IP or DNS name):`, default: suggested?.address ?? `${name}.local`, filter: (v: string) => v.trim(), validate: (v: string) => check(rules.addressProblem(String(v).trim())) },
      { type: "list", name: "profile", message: `${name}: profile:`, choices: FLEET_PROFILES.map((v) => ({ name: v, value: v })), default: suggested?.profile ?? "server" },
      { type: "input", name: "tags", message: `${name}: tags, comma-separated (deploy-all.sh --tag T; empty: none):`, default: (suggested?.tags ?? []).join(","), validate: (v: string) => check(tagsProblem(String(v))) },
      { type: "input", name: "user", message: `${name}: SSH user for deploys (sudo runs the activation):`, default: primaryUser, filter: (v: string) => v.trim(), validate: (v: string) => check(ruleProblem(rules.userName, String(v).trim())) },
      { type: "number", name: "port", message: `${name}: SSH port:`, default: sshPort, validate: (v: unknown) => check(ruleProblem(rules.port, v)) },
    ]);
    const tags = parseTagList(String(a.tags ?? ""));
    targets.push({
      name,
      system: a.system as FleetTargetAnswer["system"],
      address: String(a.address),
      profile: a.profile as FleetTargetAnswer["profile"],
      ...(tags.length ? { tags } : {}),
      user: String(a.user),
      port: Number(a.port),
    });
  }
}
