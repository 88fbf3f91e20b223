/**
 * The one table of NixOS releases a generated repo may follow: nixpkgs branch →
 * the stateVersion a new repo gets → the home-manager branch that matches it.
 * Updating nixos-stack for a new release means editing this file only.
 */
import * as z from "zod/mini";
import { builtOnce } from "./built-once.js";

export interface NixpkgsRelease {
  /** The nixpkgs branch the flake follows. */
  branch: string;
  /** What the interactive question shows. */
  label: string;
  /** system.stateVersion of a NEW repo on this branch (the release of its first install). */
  stateVersion: string;
  /**
   * The newest stateVersion this branch's modules know. home-manager's `home.stateVersion`
   * (the gateway sets it to system.stateVersion) is an enum that ends at its branch's release:
   * "26.05" on release-26.05, "26.11" on master (home-manager: modules/misc/version.nix, release.json).
   */
  newestStateVersion: string;
  /** home-manager's matching branch: release-YY.MM for a release, master for unstable (home-manager docs). */
  homeManagerBranch: string;
}

/**
 * Supported branches, the default first. As of November 2026:
 * - nixos-26.05 is the current stable release.
 * - nixos-unstable gets stateVersion "26.05", not "26.11": 26.11 is not released until the end of
 *   November 2026 and its state defaults may still change until then, and "26.05" stays valid if
 *   the repo later moves to nixos-26.05 (home-manager release-26.05 rejects home.stateVersion "26.11").
 * - nixos-25.11 is left out on purpose: NixOS maintains a release until one month after the next
 *   one, so 25.11 stopped getting security fixes on 2026-06-30. Existing 25.11 servers adopt a
 *   repo on nixos-26.05 with "stateVersion": "25.11".
 */
export const NIXPKGS_RELEASES = [
  { branch: "nixos-26.05", label: "26.05 (current stable)", stateVersion: "26.05", newestStateVersion: "26.05", homeManagerBranch: "release-26.05" },
  { branch: "nixos-unstable", label: "unstable (rolling, next release 26.11)", stateVersion: "26.05", newestStateVersion: "26.11", homeManagerBranch: "master" },
] as const satisfies readonly NixpkgsRelease[];

export type NixpkgsBranch = (typeof NIXPKGS_RELEASES)[number]["branch"];

export const DEFAULT_NIXPKGS_BRANCH: NixpkgsBranch = NIXPKGS_RELEASES[0].branch;

/**
 * Every NixOS release, oldest first: the values system.stateVersion can really have
 * (nixos/doc/manual/release-notes/rl-*.section.md). "26.11" is unstable's upcoming release.
 */
export const NIXOS_RELEASES = [
  "13.10", "14.04", "14.12", "15.09", "16.03", "16.09", "17.03", "17.09", "18.03", "18.09", "19.03", "19.09", "20.03", "20.09",
  "21.05", "21.11", "22.05", "22.11", "23.05", "23.11", "24.05", "24.11", "25.05", "25.11", "26.05", "26.11",
] as const;

/** The oldest home.stateVersion home-manager accepts (home-manager: modules/misc/version.nix). */
export const OLDEST_HOME_MANAGER_STATE_VERSION = "18.09";

export function releaseOf(branch: string): NixpkgsRelease | undefined {
  return NIXPKGS_RELEASES.find((r) => r.branch === branch);
}

/** The home-manager branch that matches a supported nixpkgs branch. */
export function homeManagerBranch(branch: NixpkgsBranch): string {
  return releaseOf(branch)!.homeManagerBranch;
}

/** The stateVersion a new repo on this branch starts with. */
export function newStateVersion(branch: NixpkgsBranch): string {
  return releaseOf(branch)!.stateVersion;
}

/** "YY.MM" strings compare correctly as text: same width, year first. */
export const isNewerRelease = (a: string, b: string) => a > b;

const SUPPORTED = NIXPKGS_RELEASES.map((r) => `"${r.branch}"`).join(" or ");

/** Why a branch is refused, in the words a user needs to pick another. */
export function nixpkgsBranchProblem(value: unknown): string {
  const release = typeof value === "string" ? /^nixos-([0-9]{2}\.[0-9]{2})$/.exec(value)?.[1] : undefined;
  const oldestSupported = NIXPKGS_RELEASES.map((r) => r.stateVersion).sort()[0]!;
  if (release && (NIXOS_RELEASES as readonly string[]).includes(release) && isNewerRelease(oldestSupported, release)) {
    return `is end of life (NixOS maintains a release until a month after the next one, then no security fixes): use ${SUPPORTED}; a server installed with ${release} keeps "stateVersion": "${release}"`;
  }
  if (release && isNewerRelease(release, NIXPKGS_RELEASES[0].stateVersion)) {
    return `is not a NixOS release this version of nixos-stack knows: use ${SUPPORTED} (or a newer nixos-stack: npm create nixos-stack@latest)`;
  }
  return `is not a supported nixpkgs branch: use ${SUPPORTED}`;
}

export const nixpkgsBranch = builtOnce(() => z.enum(NIXPKGS_RELEASES.map((r) => r.branch) as [NixpkgsBranch, ...NixpkgsBranch[]], {
  error: (issue) => nixpkgsBranchProblem(issue.input),
}));

/**
 * system.stateVersion is asserted to match `[0-9]{2}\.[0-9]{2}` (nixos/modules/misc/version.nix);
 * we also require a real release, so a typo ("25.06") cannot reach home-manager's enum.
 */
export const stateVersion = builtOnce(() => z
  .string()
  .check(z.regex(/^[0-9]{2}\.[0-9]{2}$/, { error: 'use the release of the first install, like "26.05" (system.stateVersion rule)', abort: true }))
  .check(
    z.refine(
      (v) => (NIXOS_RELEASES as readonly string[]).includes(v),
      `is not a NixOS release: use the release the server was first installed with (${NIXOS_RELEASES.slice(-6).join(", ")}, …), or leave it out in a new repo`,
    ),
  ));

/** Why an explicit stateVersion cannot go with the branch (or undefined when it can). */
export function stateVersionProblem(version: string, branch: string, usesHomeManager: boolean): string | undefined {
  const release = releaseOf(branch);
  if (!release) return undefined; // the branch itself is reported
  if (isNewerRelease(version, release.newestStateVersion)) {
    return `is newer than ${branch} (${release.newestStateVersion}); stateVersion is the release of the first install, never newer than the one you run`;
  }
  if (usesHomeManager && isNewerRelease(OLDEST_HOME_MANAGER_STATE_VERSION, version)) {
    return `is older than home-manager supports (home.stateVersion ${OLDEST_HOME_MANAGER_STATE_VERSION} or later), and the gateway service runs under home-manager`;
  }
  return undefined;
}
