import { expect, it } from "vitest";
import { NIXOS_RELEASES, NIXPKGS_RELEASES, OLDEST_HOME_MANAGER_STATE_VERSION, stateVersionProblem } from "./releases.js";

it("every supported branch starts new repos on a real release its own home-manager branch accepts", () => {
  for (const release of NIXPKGS_RELEASES) {
    // the gateway sets home.stateVersion = config.system.stateVersion: it must be in home-manager's enum
    expect(NIXOS_RELEASES).toContain(release.stateVersion);
    expect(NIXOS_RELEASES).toContain(release.newestStateVersion);
    expect(release.stateVersion <= release.newestStateVersion).toBe(true);
    expect(release.stateVersion >= OLDEST_HOME_MANAGER_STATE_VERSION).toBe(true);
    expect(stateVersionProblem(release.stateVersion, release.branch, true)).toBeUndefined();
    expect(release.homeManagerBranch).toBe(release.branch === "nixos-unstable" ? "master" : release.branch.replace("nixos-", "release-"));
  }
});

it("a new unstable repo can move to the stable branch without a stateVersion the stable home-manager rejects", () => {
  const unstable = NIXPKGS_RELEASES.find((r) => r.branch === "nixos-unstable")!;
  expect(stateVersionProblem(unstable.stateVersion, NIXPKGS_RELEASES[0].branch, true)).toBeUndefined();
});
