/**
 * `--sync` after secrets.backend changed in nixos-stack.json: the repo's files follow at once, but
 * the secrets themselves cannot (nixos-stack never sees a secret), so say what the operator must
 * do next. The previous backend is read from the managed files the lock lists, the record of
 * what the last render wrote: .sops.yaml → sops, secrets/secrets.nix → agenix, anything else →
 * env-file (the default, and until agenix/sops were wired, the only backend).
 */
import type { Stack } from "@nixos-stack/core";
import { stackSecretNames } from "../kinds/registry.js";

type Backend = Stack["secrets"]["backend"];

/** Pure: the backend that rendered a repo, from its lock's managed paths; undefined for a new repo. */
export function previousSecretsBackend(managedPaths: readonly string[]): Backend | undefined {
  if (managedPaths.length === 0) return undefined;
  if (managedPaths.includes(".sops.yaml")) return "sops";
  if (managedPaths.includes("secrets/secrets.nix")) return "agenix";
  return "env-file";
}

const encrypted = (backend: Backend, name: string) => (backend === "agenix" ? `secrets/${name}.age` : `secrets/${name}.env`);

/** How to read a secret's plaintext under the previous backend, to move it into the new one. */
function readOld(from: Backend, name: string, stack: Stack): string {
  if (from === "agenix") return `\`cd secrets && agenix -d ${name}.age\``;
  if (from === "sops") return `\`sops -d secrets/${name}.env\``;
  return `the env file on the server (/etc/${stack.name}/secrets/${name}.env, or a gateway's or home service's ~/.config/${name}/secrets.env)`;
}

/** Pure: the steps after a backend switch, or [] when the backend did not change. */
export function secretsSwitchSteps(from: Backend | undefined, stack: Stack): string[] {
  const to = stack.secrets.backend;
  if (from === undefined || from === to) return [];
  const names = stackSecretNames({ ...stack, secrets: { backend: to === "env-file" ? from : to } } as Stack);
  const steps: string[] = [];
  for (const name of names) {
    const old = from === "env-file" ? "" : ` then \`git rm ${encrypted(from, name)}\``;
    if (to === "agenix") steps.push(`${name}: copy its KEY=value lines from ${readOld(from, name, stack)} into \`cd secrets && agenix -e ${name}.age\`, \`git add secrets/${name}.age\`,${old || " and"} delete the old plaintext from the servers`);
    else if (to === "sops") steps.push(`${name}: copy its KEY=value lines from ${readOld(from, name, stack)} into \`sops secrets/${name}.env\`, \`git add secrets/${name}.env\`${old}`);
    else steps.push(`${name}: write its KEY=value lines from ${readOld(from, name, stack)} to the server as the env-file docs show (\`install -m 600\`)${old}`);
  }
  if (to === "agenix") {
    steps.push("secrets/secrets.nix lists who can decrypt: add each host's hostKey to nixos-stack.json after its first boot, sync, then `cd secrets && agenix -r` (docs/secrets.md)");
    steps.push(".gitignore is yours (written once): add `!/secrets/*.age` and `!/secrets/secrets.nix` after `/secrets/*`, or git will not track the encrypted files");
  } else if (to === "sops") {
    steps.push(".sops.yaml lists the age recipients: add each host's hostKey to nixos-stack.json after its first boot, sync, then `sops updatekeys secrets/<name>.env` (docs/secrets.md)");
    steps.push(".gitignore is yours (written once): add `!/secrets/*.env` after `*.env`, or git will not track the encrypted files");
  } else {
    steps.push(`.gitignore is yours: remove the lines that un-ignore secrets/ files (\`!/secrets/*.age\`, \`!/secrets/secrets.nix\`, \`!/secrets/*.env\`) so no plaintext is ever committed`);
  }
  return steps;
}

/** The message --sync prints after a switch, or undefined. */
export function secretsSwitchMessage(from: Backend | undefined, stack: Stack): string | undefined {
  const steps = secretsSwitchSteps(from, stack);
  if (!steps.length) return undefined;
  return [`The secrets backend changed from ${from} to ${stack.secrets.backend}; the repo's files now follow it, but your secrets must be moved by you:`, ...steps.map((s, i) => `  ${i + 1}. ${s}`), "  Then deploy (./update.sh); until a secret is moved its service waits for it (a system service is not started; the gateway and home services start without it).", ""].join("\n");
}
