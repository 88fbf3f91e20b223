/**
 * A LAN fleet for the fleet-script tests: four targets, every address a loopback one (the tests
 * never reach anything else, whatever an example manifest lists).
 */
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { StackInput } from "@nixos-stack/core";
import { TEST_KEY, whichReal } from "./deploy-repo.js";

export interface FleetOptions {
  deployer?: "nixos-rebuild" | "deploy-rs" | "colmena";
  sudo?: "password" | "nopasswd";
}

/**
 * lab    server       alice@127.0.0.1:22    tags lab, always-on
 * media  media        root@::1:2222         tags lab
 * desk   workstation  alice@127.0.0.1:2200  tags desk
 * nas    server       root@127.0.0.1:2201   no tags
 */
export function fleetInput(opts: FleetOptions = {}): StackInput {
  return {
    name: "lan",
    ...(opts.deployer ? { deployer: opts.deployer } : {}),
    ...(opts.sudo ? { sudo: opts.sudo } : {}),
    admins: [{ name: "alice", sshKeys: [TEST_KEY] }],
    hosts: [
      { name: "lab", profile: "server", deploy: { address: "127.0.0.1", sshPort: 22, user: "alice" }, tags: ["lab", "always-on"] },
      { name: "media", profile: "media", deploy: { address: "::1" }, tags: ["lab"] },
      { name: "desk", profile: "workstation", deploy: { address: "127.0.0.1", sshPort: 2200, user: "alice" }, tags: ["desk"] },
      { name: "nas", profile: "server", deploy: { address: "127.0.0.1", sshPort: 2201 } },
    ],
  };
}

/** What the fleet scripts need besides the stand-ins (bash 3.2-era tools every Unix has). */
export const FLEET_TOOLS = ["bash", "cat", "dirname", "basename", "id", "env", "mktemp", "mkfifo", "mkdir", "rm", "tee", "stty"] as const;

/** A directory with an `id` that reports `uid`, to run the scripts as if not root. */
export function fakeIdDir(at: string, uid: number): string {
  mkdirSync(at, { recursive: true });
  writeFileSync(join(at, "id"), `#!${whichReal("bash")}\nif [[ "$1" == -u ]]; then echo ${uid}; else echo "uid=${uid}"; fi\n`);
  chmodSync(join(at, "id"), 0o755);
  return at;
}
