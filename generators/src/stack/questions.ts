/**
 * The questions of the `stack` generator, in the order they are asked. Each
 * validates with the same zod rule the manifest uses, so a prompt rejects what
 * the schema would.
 */
import { adminSchema, DEFAULTS, DEPLOYERS, NIXPKGS_RELEASES, rules, SHELLS, SUDO_MODES } from "@nixos-stack/core";
import { presets } from "@nixos-stack/templates";
import type { ZodMiniType } from "zod/mini";
import type { StackAnswers } from "./answers.js";

export interface StackQuestion {
  name: keyof StackAnswers;
  type: "input" | "list" | "confirm" | "number";
  message: string;
  choices?: { name: string; value: string }[];
  /** Parse the typed text into the answer's value (e.g. split keys, read numbers). */
  parse?: (input: string) => unknown;
  /** Offered when the defaults (defaults.ts) have no value for it. */
  default?: unknown;
  /** Asked only when this holds for the answers so far (flags, --config and earlier prompts). */
  when?: (answers: Partial<StackAnswers>) => boolean;
}

const isVps = (a: Partial<StackAnswers>) => (a.preset ?? "vps") === "vps";
const isFleet = (a: Partial<StackAnswers>) => a.preset === "fleet";

/** "audio, video" → ["audio", "video"] (the same split as --user-groups). */
export function parseGroupList(input: string): string[] {
  return input.split(",").map((g) => g.trim()).filter(Boolean);
}

/** A prompt's check by a manifest rule (built the first time it checks an answer). */
function validator(rule: () => ZodMiniType) {
  return (value: unknown) => {
    const result = rule().safeParse(value);
    return result.success || result.error.issues[0]?.message || "invalid";
  };
}

export const stackQuestions: (StackQuestion & { validate?: (v: unknown) => true | string })[] = [
  {
    name: "preset",
    type: "list",
    message: "What are you deploying?",
    choices: Object.entries(presets).map(([value, p]) => ({ name: `${p.title}: ${p.description}`, value })),
  },
  { name: "name", type: "input", message: "Project name:", validate: validator(rules.projectName) },
  { name: "admin", type: "input", message: "Admin user name (sudo, SSH key login):", validate: validator(rules.userName) },
  {
    name: "sshKeys",
    type: "input",
    message: "The admin's SSH public key (a line of ~/.ssh/id_ed25519.pub; empty to add later):",
    parse: (input) => (input.trim() ? [input.trim()] : []),
    validate: (v) => {
      const text = String(v).trim();
      if (!text) return true;
      return rules.sshKeyProblem(text) ?? true;
    },
  },
  // a fleet asks per target (22 on a LAN); the VPS preset's non-standard port is against internet-wide scans
  { name: "sshPort", type: "number", message: "SSH port on the servers:", default: DEFAULTS.sshPort, validate: validator(rules.port), when: isVps },
  { name: "timeZone", type: "input", message: "Time zone:", validate: validator(rules.timeZone) },
  {
    name: "nixpkgsBranch",
    type: "list",
    message: "NixOS release:",
    choices: NIXPKGS_RELEASES.map((r) => ({ name: r.label, value: r.branch })),
  },
  { name: "gateway", type: "confirm", message: "Add the gateway user service (home-manager, 127.0.0.1 only)?", when: isVps },
  // the fleet's primary user (admins[0]); the targets themselves are asked one by one in target-questions.ts
  { name: "userDescription", type: "input", message: "The primary user's full name (empty: none):", validate: (v) => (String(v).trim() === "" ? true : validator(() => adminSchema().shape.description)(String(v).trim())), when: isFleet },
  {
    name: "userGroups",
    type: "input",
    message: "Extra groups of the primary user, comma-separated (wheel and the profile's groups are added anyway; empty: none):",
    parse: parseGroupList,
    validate: (v) => validator(() => adminSchema().shape.extraGroups)(Array.isArray(v) ? v : parseGroupList(String(v))),
    when: isFleet,
  },
  { name: "shell", type: "list", message: "The primary user's login shell:", choices: SHELLS.map((v) => ({ name: v, value: v })), when: isFleet },
  {
    name: "deployer",
    type: "list",
    message: "What deploys the fleet:",
    choices: DEPLOYERS.map((v) => ({ name: v === "nixos-rebuild" ? "nixos-rebuild (no extra input)" : v === "deploy-rs" ? "deploy-rs (magic rollback)" : "colmena (tags, parallel apply)", value: v })),
    when: isFleet,
  },
  {
    name: "sudo",
    type: "list",
    message: "How sudo asks on the targets:",
    choices: [
      { name: "nopasswd: SSH keys are the only secret (deploys run unattended)", value: "nopasswd" },
      { name: "password: sudo asks; the deploy scripts ask you for it (docs/bootstrap.md: when to set it)", value: "password" },
    ].filter((c) => (SUDO_MODES as readonly string[]).includes(c.value)),
    // colmena runs sudo without a terminal, so it needs nopasswd (the schema says why): not asked then
    when: (a) => isFleet(a) && a.deployer !== "colmena",
  },
];
