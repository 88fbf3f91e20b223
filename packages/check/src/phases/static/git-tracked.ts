/**
 * A flake in a git repository sees only the files git tracks: an untracked
 * module is "does not exist" to `nix flake check`, and an untracked file behind
 * `builtins.pathExists` (hardware-configuration.nix) is silently left out.
 * Flags what the flake needs but git does not track, and path literals that
 * cannot work in a flake (absolute paths are forbidden in pure evaluation).
 */
import type { PathRef } from "../../text/nix-paths.js";
import type { RepoFiles } from "../../repo-files.js";
import type { Finding } from "../../types.js";
import { SECRETS_DIR } from "./secrets-lint.js";

export interface GitTrackedContext {
  /** whether a repo-relative path is a file or directory on disk (ignored files included) */
  exists: (path: string) => "file" | "dir" | undefined;
  /** whether git ignores the path (explains *why* it is untracked) */
  ignored: (path: string) => boolean;
}

function inSecrets(path: string): boolean {
  return path === SECRETS_DIR || path.startsWith(`${SECRETS_DIR}/`);
}

/** Pure: findings about files the flake needs and git does not track. */
export function lintGitTracking(repo: RepoFiles, refs: readonly PathRef[], ctx: GitTrackedContext): Finding[] {
  const findings: Finding[] = [];
  const reported = new Set<string>();
  for (const ref of refs) {
    if (ref.kind !== "relative") {
      if (ref.kind === "home" || !ref.literal.startsWith("/nix/store/")) {
        findings.push({
          phase: "static",
          severity: "warning",
          file: ref.file,
          line: ref.line,
          column: ref.column,
          rule: "absolute-path-literal",
          message: `${ref.literal} is a path outside the repo: a flake evaluates in pure mode and cannot read it (and a path literal would copy it into the store); use a string ("${ref.literal}") for a path on the server, or a file inside the repo`,
        });
      }
      continue;
    }
    if (!repo.git || ref.target === undefined || ref.dirPrefix || inSecrets(ref.target)) continue;
    const kind = ctx.exists(ref.target);
    if (kind === "file" && !repo.tracked.has(ref.target)) {
      const why = ctx.ignored(ref.target) ? "is ignored by git" : "is not tracked by git";
      reported.add(ref.target);
      findings.push({
        phase: "static",
        severity: "error",
        file: ref.file,
        line: ref.line,
        column: ref.column,
        rule: "untracked-flake-file",
        message: `${ref.literal} → ${ref.target} exists but ${why}, so the flake cannot see it (flakes see only tracked files): \`git add ${ref.target}\`${ctx.ignored(ref.target) ? " (with -f, or un-ignore it)" : ""}`,
      });
    }
  }
  if (!repo.git) {
    findings.push({ phase: "static", severity: "info", rule: "not-a-git-repo", message: "not a git repository: `nix flake check` will see every file here; once you `git init`, it sees only the files you `git add`" });
    return findings;
  }
  for (const path of repo.untracked) {
    if (reported.has(path) || inSecrets(path)) continue;
    if (path === "flake.nix" || path === "flake.lock" || path.endsWith(".nix")) {
      const needed = path === "flake.nix" || path === "flake.lock";
      findings.push({
        phase: "static",
        severity: needed ? "error" : "warning",
        file: path,
        rule: "untracked-flake-file",
        message:
          path === "flake.lock"
            ? "flake.lock is not tracked by git, so the flake does not see it and its inputs are not pinned: `git add flake.lock`"
            : `is not tracked by git, so the flake cannot see it (flakes see only tracked files): \`git add ${path}\`${needed ? "" : " if a module imports it"}`,
      });
    }
  }
  return findings.sort((a, b) => ((a.file ?? "") < (b.file ?? "") ? -1 : (a.file ?? "") > (b.file ?? "") ? 1 : (a.line ?? 0) - (b.line ?? 0)));
}
