/** The workspace's packages, as pnpm-workspace.yaml lists them, and `pnpm pack` of one. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { readManifest, type PackageManifest } from "./npm-closure.js";

export const WORKSPACE_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

export interface WorkspacePackage {
  /** Relative to the workspace root, e.g. packages/core. */
  path: string;
  dir: string;
  manifest: PackageManifest;
}

/** Every package pnpm-workspace.yaml names (`- dir` or `- dir/*` entries). */
export function workspacePackages(): WorkspacePackage[] {
  const globs = readFileSync(join(WORKSPACE_ROOT, "pnpm-workspace.yaml"), "utf8")
    .split("\n")
    .map((line) => /^\s*-\s*['"]?([^'"\s]+)['"]?\s*$/.exec(line)?.[1])
    .filter((g): g is string => Boolean(g));
  const paths = globs.flatMap((glob) =>
    glob.endsWith("/*")
      ? readdirSync(join(WORKSPACE_ROOT, glob.slice(0, -2)), { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => `${glob.slice(0, -2)}/${e.name}`)
      : [glob],
  );
  return paths.sort().map((path) => ({ path, dir: join(WORKSPACE_ROOT, path), manifest: readManifest(join(WORKSPACE_ROOT, path)) }));
}

export interface PackedPackage {
  package: WorkspacePackage;
  tarball: string;
  /** The files in the tarball, relative to its package/ root. */
  files: string[];
}

/** `pnpm pack` (it rewrites workspace: ranges and applies publishConfig, as `pnpm publish` does). */
export async function packWorkspacePackage(pkg: WorkspacePackage, outDir: string): Promise<PackedPackage> {
  const r = await execa("pnpm", ["pack", "--json", "--pack-destination", outDir], { cwd: pkg.dir });
  const tarball = (JSON.parse(r.stdout) as { filename: string }).filename;
  // listed from the tarball itself: pnpm's --json list leaves out the LICENSE it copies from the workspace root
  const listing = await execa("tar", ["-tzf", tarball]);
  const files = listing.stdout.split("\n").filter((f) => f.startsWith("package/") && !f.endsWith("/")).map((f) => f.slice("package/".length));
  return { package: pkg, tarball, files: files.sort() };
}
