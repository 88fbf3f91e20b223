import { relative } from "node:path";
import type { Stack } from "@nixos-stack/core";
import { SYSTEM_ALIASES } from "@nixos-stack/templates";
import type { Colors } from "../io.js";

export function nextSteps(stack: Stack, dir: string, c: Colors): string {
  const rel = relative(process.cwd(), dir) || ".";
  const host = stack.hosts[0]!;
  const arch = SYSTEM_ALIASES[host.system];
  const noKey = stack.admins.every((a) => a.sshKeys.length === 0);
  const lines = [
    "",
    c.green(`✔ ${stack.name}: a NixOS flake with ${stack.hosts.length} host${stack.hosts.length > 1 ? "s" : ""} in ${rel}`),
    "",
    "Next:",
    `  cd ${rel}`,
  ];
  if (noKey) lines.push(c.yellow(`  # no SSH public key was found: add yours to admins[0].sshKeys in nixos-stack.json, then`), `  ./stack.sh sync`);
  lines.push(`  ./stack.sh check                                                # check the repo (npm installs the tools the first time)`);
  if (stack.hosts.some((h) => h.profile === "vps")) {
    lines.push(
      `  ./bootstrap.sh --host <server-ip> --system ${arch} --dry-run    # see what the first install runs`,
      `  ./bootstrap.sh --host <server-ip> --system ${arch}              # install NixOS (wipes the server's disk)`,
      `  ./update.sh --host <server-ip> --system ${arch}                 # every later change`,
    );
  }
  const target = stack.hosts.find((h) => h.profile !== "vps");
  if (target) {
    lines.push(
      `  # first install of each machine: docs/bootstrap.md (NixOS installer or an existing NixOS)`,
      `  ./status.sh                                                     # which targets answer, and what they run`,
      `  ./deploy.sh ${target.name} --dry-run${" ".repeat(Math.max(1, 36 - target.name.length))}# see what a deploy runs`,
      `  ./deploy-all.sh                                                 # deploy every target in parallel`,
    );
  }
  lines.push("", `README.md explains the layout, the install and update flows, ./stack.sh sync|check, and troubleshooting.`);
  return lines.join("\n");
}
