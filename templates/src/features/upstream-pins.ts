/**
 * The upstream flakes a generated repo's flake.nix pins, at the commits in
 * templates/pins/upstream-inputs.json: the same trees the offline checks evaluate our templates
 * with (test-support/offline-inputs.ts), so the versions CI judged are the versions users get.
 */
import { homeManagerBranch, type NixpkgsBranch } from "@nixos-stack/core";
import pinsFile from "@nixos-stack/templates/pins/upstream-inputs.json" with { type: "json" };

interface Pin {
  repo: string;
  branch?: string;
  commit: string;
}

const pins = Object.entries(pinsFile as unknown as Record<string, Pin | string>).filter((e): e is [string, Pin] => !e[0].startsWith("$") && typeof e[1] === "object");

/** The pin of one input, by its name in the pins file. */
export function upstreamPinOf(name: string): Pin {
  const pin = pins.find(([n]) => n === name)?.[1];
  if (!pin) throw new Error(`templates/pins/upstream-inputs.json pins no input named ${name}`);
  return pin;
}

/** A flake URL of the pinned commit: `github:<owner>/<repo>/<commit>` (nix3-flake(1), "github"). */
export function pinnedFlakeUrl(name: string): string {
  const pin = upstreamPinOf(name);
  return `github:${pin.repo}/${pin.commit}`;
}

/** home-manager's pin for a nixpkgs branch: the pinned commit of the branch that matches it (release-26.05, master). */
export function homeManagerPin(branch: NixpkgsBranch): { name: string; pin: Pin } {
  const wanted = homeManagerBranch(branch);
  const found = pins.find(([, p]) => p.repo === "nix-community/home-manager" && p.branch === wanted);
  if (!found) throw new Error(`templates/pins/upstream-inputs.json pins no nix-community/home-manager commit of ${wanted} (for ${branch})`);
  return { name: found[0], pin: found[1] };
}

export function homeManagerUrl(branch: NixpkgsBranch): string {
  const { pin } = homeManagerPin(branch);
  return `github:${pin.repo}/${pin.commit}`;
}
