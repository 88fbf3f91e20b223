import { describe, expect, it } from "vitest";
import { LineIndex } from "../../text/line-index.js";
import { lexNix } from "../../text/nix-lexer.js";
import { nixPathRefs } from "../../text/nix-paths.js";
import type { RepoFiles } from "../../repo-files.js";
import { lintGitTracking } from "./git-tracked.js";

const HOST = `{ ... }:
{
  imports = [ ./configuration.nix ]
    ++ (if builtins.pathExists ./hardware-configuration.nix then [ ./hardware-configuration.nix ] else [ ]);
  environment.etc.motd.source = /etc/motd;
}
`;

function refsOf(file: string, src: string) {
  const lines = new LineIndex(src);
  return nixPathRefs(file, lexNix(src), lines);
}

function repo(tracked: string[], untracked: string[], git = true): RepoFiles {
  return { git, tracked: new Set(tracked), untracked: new Set(untracked), files: [...tracked, ...untracked].sort() };
}

describe("lintGitTracking", () => {
  const onDisk = new Set(["flake.nix", "hosts/web/default.nix", "hosts/web/configuration.nix", "hosts/web/hardware-configuration.nix", "modules/extra.nix"]);
  const exists = (p: string) => (onDisk.has(p) ? ("file" as const) : undefined);

  it("flags an untracked file that a path literal names, at the literal", () => {
    const findings = lintGitTracking(
      repo(["flake.nix", "hosts/web/default.nix", "hosts/web/configuration.nix"], ["hosts/web/hardware-configuration.nix"]),
      refsOf("hosts/web/default.nix", HOST),
      { exists, ignored: () => false },
    );
    const untracked = findings.filter((f) => f.rule === "untracked-flake-file");
    expect(untracked.map((f) => [f.file, f.line])).toEqual([
      ["hosts/web/default.nix", 4],
      ["hosts/web/default.nix", 4],
    ]);
    expect(untracked[0]!.message).toContain("git add hosts/web/hardware-configuration.nix");
  });

  it("says when the file is untracked because git ignores it", () => {
    const [f] = lintGitTracking(repo(["hosts/web/default.nix"], []), refsOf("hosts/web/default.nix", "{ imports = [ ./configuration.nix ]; }"), { exists, ignored: () => true });
    expect(f!.message).toContain("is ignored by git");
  });

  it("flags an untracked module nobody names yet as a warning, and an untracked flake.nix as an error", () => {
    const findings = lintGitTracking(repo(["hosts/web/default.nix"], ["flake.nix", "modules/extra.nix", "notes.txt"]), [], { exists, ignored: () => false });
    expect(findings.map((f) => [f.file, f.severity])).toEqual([
      ["flake.nix", "error"],
      ["modules/extra.nix", "warning"],
    ]);
  });

  it("warns about absolute path literals, which pure evaluation forbids", () => {
    const findings = lintGitTracking(repo(["hosts/web/default.nix", "hosts/web/configuration.nix", "hosts/web/hardware-configuration.nix"], []), refsOf("hosts/web/default.nix", HOST), {
      exists,
      ignored: () => false,
    });
    expect(findings).toEqual([expect.objectContaining({ rule: "absolute-path-literal", line: 5, severity: "warning" })]);
  });

  it("outside git, says so once instead of guessing", () => {
    const findings = lintGitTracking(repo([], ["flake.nix"], false), refsOf("flake.nix", "{ a = ./x.nix; }"), { exists, ignored: () => false });
    expect(findings).toEqual([expect.objectContaining({ rule: "not-a-git-repo", severity: "info" })]);
  });
});
