/** What a new target takes when an answer is not given: the repo's own conventions, from its first host. */
import type { NixosSystem, Stack } from "@nixos-stack/core";

export interface TargetDefaults {
  system: NixosSystem;
  profile: string;
  sshPort: number;
  disk: string;
  /** the SSH user deploys log in as, once the manifest has `deploy.user` */
  user?: string;
}

/** A fleet's machines default to the general-purpose profile (issue 7's "server"). */
export const FLEET_DEFAULT_PROFILE = "server";

export function targetDefaults(stack: Stack): TargetDefaults {
  const first = stack.hosts[0]!;
  const user = first.deploy.user;
  return {
    system: "x86_64-linux",
    // a VPS repo grows by another VPS; a fleet by another server
    profile: stack.hosts.every((h) => h.profile === "vps") ? "vps" : FLEET_DEFAULT_PROFILE,
    sshPort: first.deploy.sshPort,
    disk: first.disk.device,
    // "root" is the schema's default: left out, as a hand-written manifest leaves it out
    ...(user !== "root" ? { user } : {}),
  };
}
