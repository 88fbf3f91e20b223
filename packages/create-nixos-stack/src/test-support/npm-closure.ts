/**
 * The third-party packages a set of workspace packages needs at run time, found where pnpm
 * installed them: `dependencies`, `optionalDependencies` and `peerDependencies`, followed
 * transitively through pnpm's layout (a package's own dependencies are symlinked next to it in
 * node_modules/.pnpm/<name>@<version>/node_modules). A local registry can then serve exactly
 * these versions, so installing our packed packages needs no network.
 */
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";

export interface InstalledPackage {
  name: string;
  version: string;
  /** The package's directory (its files, as published). */
  dir: string;
  /** Its package.json. */
  manifest: PackageManifest;
}

export interface PackageManifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
}

export function readManifest(dir: string): PackageManifest {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as PackageManifest;
}

/** Where Node would find `name` from `fromDir`: the nearest node_modules/<name> up the tree, resolved. */
function resolvePackageDir(fromDir: string, name: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Every third-party package (by name@version) reachable from the dependencies of `roots`
 * (workspace package directories) and of `extra`, skipping `skip` (the workspace's own packages, which are
 * packed instead). A required dependency that cannot be found is an error: the install would fail.
 */
export function thirdPartyClosure(roots: readonly string[], skip: ReadonlySet<string>, extra: readonly { from: string; name: string }[] = []): InstalledPackage[] {
  const found = new Map<string, InstalledPackage>();
  const queue: { from: string; name: string; optional: boolean }[] = [];
  const enqueue = (from: string, manifest: PackageManifest) => {
    for (const name of Object.keys(manifest.dependencies ?? {})) queue.push({ from, name, optional: false });
    for (const name of Object.keys(manifest.optionalDependencies ?? {})) queue.push({ from, name, optional: true });
    for (const name of Object.keys(manifest.peerDependencies ?? {})) queue.push({ from, name, optional: manifest.peerDependenciesMeta?.[name]?.optional === true });
  };
  for (const root of roots) enqueue(root, readManifest(root));
  // packages a generated repo asks for that no package of ours depends on (plop)
  for (const { from, name } of extra) queue.push({ from, name, optional: false });
  while (queue.length) {
    const { from, name, optional } = queue.shift()!;
    if (skip.has(name)) continue;
    const dir = resolvePackageDir(from, name);
    if (!dir) {
      if (optional) continue;
      throw new Error(`${name}, needed by ${from}, is not installed: run pnpm install`);
    }
    const manifest = readManifest(dir);
    const key = `${manifest.name}@${manifest.version}`;
    if (found.has(key)) continue;
    found.set(key, { name: manifest.name, version: manifest.version, dir, manifest });
    enqueue(dir, manifest);
  }
  return [...found.values()].sort((a, b) => (a.name === b.name ? a.version.localeCompare(b.version) : a.name.localeCompare(b.name)));
}
