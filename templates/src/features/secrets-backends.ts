/**
 * What each encrypted secrets backend adds to a repo, keyed by backend (env-file renders its own
 * modules/secrets.nix elsewhere): its flake input and NixOS module, modules/secrets.nix, the file
 * of recipients, and docs/secrets.md.
 */
import type { FileSpec, Stack } from "@nixos-stack/core";
import { ageRecipientOfSshKey } from "./age-recipient.js";
import type { EncryptedBackend } from "../kinds/kind.js";
import { hostSecretFiles, stackSecretNames } from "../kinds/registry.js";
import { pinnedFlakeUrl } from "./upstream-pins.js";

export interface SecretsInput {
  /** the input's name in flake.nix (a constant, not a user value) */
  name: string;
  url: string;
  /** inputs of that flake made to follow ours, so there is one nixpkgs */
  follows: readonly string[];
}

interface SecretsBackend {
  input: SecretsInput;
  /** the encrypted file of secret `name`, relative to the repo root */
  encryptedFile: (name: string) => string;
  /** the files besides modules/secrets.nix and docs/secrets.md */
  files: (stack: Stack) => FileSpec[];
}

/** Secret name → the hosts that run a service with it (the hosts that must be able to decrypt it). */
export function secretHosts(stack: Stack): Array<{ name: string; hosts: string[] }> {
  return stackSecretNames(stack).map((name) => ({ name, hosts: stack.hosts.filter((h) => name in hostSecretFiles(stack, h)).map((h) => h.name) }));
}

const sopsFile = (name: string) => `secrets/${name}.env`;

/** Pure: .sops.yaml, one creation rule per secret file with the age recipients of its admins and hosts. */
export function sopsConfig(stack: Stack): string {
  const admins = stack.admins.flatMap((a) => a.sshKeys.map((k) => ({ who: `admin ${a.name}`, age: ageRecipientOfSshKey(k) })));
  const skipped = admins.filter((a) => a.age === undefined).map((a) => a.who);
  const adminRecipients = [...new Set(admins.flatMap((a) => (a.age ? [a.age] : [])))];
  const lines = [
    "# sops' creation rules (getsops/sops README, \"Using .sops.yaml conf to select keys\"): the age",
    "# recipients each secrets/<name>.env is encrypted to, i.e. the admins' and hosts' ed25519 SSH",
    "# keys in age form (what `ssh-to-age` prints). After a change, re-encrypt each file to them:",
    "# `sops updatekeys secrets/<name>.env` (docs/secrets.md). Public keys only.",
    ...(skipped.length ? [`# not included (only ed25519 keys have an age form): ${skipped.join(", ")}`] : []),
    "creation_rules:",
  ];
  for (const { name, hosts } of secretHosts(stack)) {
    const hostRecipients = stack.hosts.filter((h) => hosts.includes(h.name)).map((h) => ({ host: h.name, age: h.hostKey ? ageRecipientOfSshKey(h.hostKey) : undefined }));
    const waiting = hostRecipients.filter((h) => h.age === undefined).map((h) => h.host);
    if (waiting.length) {
      lines.push(`  # PLACEHOLDER: no hostKey yet for ${waiting.join(", ")}, which cannot decrypt this file until its key is in`, "  # nixos-stack.json (hosts[].hostKey, after its first boot: docs/secrets.md) and the file is re-encrypted");
    }
    const recipients = [...adminRecipients, ...hostRecipients.flatMap((h) => (h.age ? [h.age] : []))];
    lines.push(`  - path_regex: ${JSON.stringify(`(^|/)${sopsFile(name).replace(/\./g, "\\.")}$`)}`, `    age: ${JSON.stringify(recipients.join(","))}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * rsync filter rules for secrets/ when update.sh and the fleet scripts copy the repo to a server
 * (first match wins: rsync(1), FILTER RULES): plaintext stays here, but the files an encrypted
 * backend commits must reach /etc/nixos, where the server builds from them.
 */
export function rsyncSecretsFilter(stack: Stack): string[] {
  const backend = stack.secrets.backend;
  if (backend === "agenix") return ["--include", "/secrets/", "--include", "/secrets/*.age", "--include", "/secrets/secrets.nix", "--exclude", "/secrets/*"];
  if (backend === "sops") return ["--include", "/secrets/", "--include", "/secrets/*.env", "--exclude", "/secrets/*"];
  return ["--exclude", "/secrets/"];
}

export const SECRETS_BACKENDS: Record<EncryptedBackend, SecretsBackend> = {
  agenix: {
    // ryantm/agenix flake.nix: inputs nixpkgs, home-manager, darwin, systems; nixosModules.default = age
    input: { name: "agenix", url: pinnedFlakeUrl("agenix"), follows: ["nixpkgs", "home-manager"] },
    encryptedFile: (name) => `secrets/${name}.age`,
    files: (stack) => [
      {
        path: "secrets/secrets.nix",
        template: "secrets/agenix-rules.nix",
        ownership: "managed",
        context: {
          adminKeys: [...new Set(stack.admins.flatMap((a) => a.sshKeys.filter((k) => /^(ssh-ed25519|ssh-rsa) /.test(k))))],
          hosts: stack.hosts.map((h) => ({ name: h.name, key: h.hostKey })),
          secrets: secretHosts(stack).map(({ name, hosts }) => ({ file: `${name}.age`, hosts })),
        },
      },
    ],
  },
  sops: {
    // Mic92/sops-nix flake.nix: input nixpkgs; nixosModules.default = sops
    input: { name: "sops-nix", url: pinnedFlakeUrl("sops-nix"), follows: ["nixpkgs"] },
    encryptedFile: sopsFile,
    files: (stack) => [{ path: ".sops.yaml", content: sopsConfig(stack), ownership: "managed" }],
  },
};
