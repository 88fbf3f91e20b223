import { tuningSysctls, type Feature, type Host } from "@nixos-stack/core";
import { containerServices } from "./containers.js";

/** The rows of a host's tuning table: each sysctl key and value, then the open-file limit. */
function tuningRows(host: Host): Array<{ setting: string; value: string }> {
  if (!host.tuning) return [];
  const rows = Object.entries(tuningSysctls(host.tuning)).map(([key, value]) => ({ setting: key, value: String(value) }));
  return host.tuning.nofile === undefined ? rows : [...rows, { setting: "open files (nofile)", value: String(host.tuning.nofile) }];
}

/** Kernel and system tuning (hosts[].tuning): sysctl values and open-file limits, and the performance doc. */
export const tuningFeature: Feature = {
  id: "tuning",
  applies: (stack) => stack.hosts.some((h) => h.tuning !== undefined),
  files: (stack) => [
    { path: "modules/tuning.nix", template: "modules/tuning.nix", ownership: "managed" },
    { path: "docs/performance-tuning.md", template: "docs/performance-tuning.md", ownership: "managed", context: { hosts: stack.hosts.flatMap((h) => (h.tuning ? [{ name: h.name, rows: tuningRows(h) }] : [])), containers: stack.hosts.some((h) => h.tuning !== undefined && containerServices(h).length > 0) } },
  ],
};
