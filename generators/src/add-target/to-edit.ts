/** answers → the manifest edit that appends the new host, spelled out like the hosts `create` writes. */
import { SYSTEM_ALIASES } from "@nixos-stack/templates";
import type { Host, NixosSystem, Stack } from "@nixos-stack/core";
import type { ManifestEdit } from "../manifest-edit/edit.js";
import { appendToArray } from "../manifest-edit/json-text.js";
import type { TargetAnswers } from "./answers.js";
import { targetDefaults, type TargetDefaults } from "./defaults.js";

/** The new `hosts[]` entry. Values are checked by the schema afterwards, with the whole manifest. */
export function newHostEntry(answers: TargetAnswers, defaults: TargetDefaults): Record<string, unknown> {
  return {
    name: answers.name,
    system: answers.system ?? defaults.system,
    profile: answers.profile ?? defaults.profile,
    ...(answers.tags?.length ? { tags: answers.tags } : {}),
    deploy: {
      ...(answers.address ? { address: answers.address } : {}),
      sshPort: answers.sshPort ?? defaults.sshPort,
      ...(defaults.user !== undefined ? { user: defaults.user } : {}),
    },
    disk: { device: answers.disk ?? defaults.disk },
    services: [],
  };
}

function notesFor(host: Host, index: number, before: Stack): string[] {
  const notes: string[] = [];
  const others = [...new Set(before.hosts.flatMap((h) => h.services.map((s) => s.kind)))];
  if (others.length) notes.push(`${host.name} runs no services (the other hosts run ${others.join(", ")}): add them to hosts[${index}].services in nixos-stack.json, then sync.`);
  if (host.profile !== "vps") {
    // a LAN target: no disko layout for bootstrap.sh; docs/bootstrap.md covers its first install
    const where = host.deploy.address ? "" : " <its-address>";
    notes.push(`Install NixOS on it (docs/bootstrap.md), commit targets/${host.name}/hardware-configuration.nix, then deploy: ./deploy.sh ${host.name}${where}   (add --dry-run to see the commands first)`);
    return notes;
  }
  const arch = SYSTEM_ALIASES[host.system as NixosSystem];
  const where = host.deploy.address ? "" : " --host <its-ip>";
  notes.push(`Install it: ./bootstrap.sh --config ${host.name}${where} --system ${arch}   (add --dry-run to see the commands first)`);
  return notes;
}

export function addTargetEdit(answers: TargetAnswers): ManifestEdit {
  return {
    title: `add-target ${answers.name}`,
    apply: (doc) => appendToArray(doc.text, ["hosts"], newHostEntry(answers, targetDefaults(doc.stack))),
    notes: (before, after) => notesFor(after.hosts.at(-1)!, after.hosts.length - 1, before),
  };
}
