/** Which files a repo has, and which of them git tracks (a flake sees only tracked files). */
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";

export interface RepoFiles {
  /** the directory is inside a git work tree */
  git: boolean;
  /** tracked and present on disk (POSIX paths relative to the repo dir) */
  tracked: ReadonlySet<string>;
  /** on disk, not tracked, not ignored: what `git add -A` would add */
  untracked: ReadonlySet<string>;
  /** tracked ∪ untracked, sorted: the files worth checking (ignored files are left out) */
  files: readonly string[];
}

/** Directories never worth walking when the repo is not a git repository. */
const SKIP_DIRS = new Set([".git", "node_modules", ".direnv", ".nixos-stack-staging"]);

/**
 * Parses `git ls-files -z -t -c -o -d --exclude-standard`: a tag then the path.
 * H (or S, M) tracked, ? untracked, R tracked but deleted from the work tree (listed again after its H).
 */
export function parseLsFilesTagged(stdout: string): { tracked: string[]; untracked: string[] } {
  const tracked = new Set<string>();
  const deleted = new Set<string>();
  const untracked: string[] = [];
  for (const entry of stdout.split("\0")) {
    if (entry.length < 3) continue;
    const tag = entry[0];
    const path = entry.slice(2);
    if (tag === "?") untracked.push(path);
    else if (tag === "R") deleted.add(path);
    else tracked.add(path);
  }
  return { tracked: [...tracked].filter((p) => !deleted.has(p)), untracked };
}

async function walk(dir: string, rel = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, rel), { withFileTypes: true })) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith(".nixos-stack-staging")) out.push(...(await walk(dir, path)));
    } else if (entry.isFile() && !/^result(-.*)?$/.test(entry.name)) out.push(path);
  }
  return out;
}

/** One git process lists both tracked and untracked files; outside git, the directory is walked. */
export async function listRepoFiles(dir: string): Promise<RepoFiles> {
  const result = await execa("git", ["ls-files", "-z", "-t", "-c", "-o", "-d", "--exclude-standard"], { cwd: dir, reject: false });
  if (result.exitCode === 0) {
    const { tracked, untracked } = parseLsFilesTagged(result.stdout);
    if (!tracked.includes("flake.nix") && !untracked.includes("flake.nix") && existsSync(join(dir, "flake.nix"))) {
      // flake.nix is ignored by git (e.g. the repo sits in another repo's ignored folder): the flake
      // sees none of these files, so check them all and let the git lint report them as untracked
      const all = (await walk(dir)).sort();
      return { git: true, tracked: new Set(), untracked: new Set(all), files: all };
    }
    const files = [...new Set([...tracked, ...untracked])].sort();
    return { git: true, tracked: new Set(tracked), untracked: new Set(untracked), files };
  }
  const files = (await walk(dir)).sort();
  return { git: false, tracked: new Set(), untracked: new Set(files), files };
}
