// Regenerates examples/<name>/ from examples/<name>/nixos-stack.json, or checks that they match.
// Uses the built packages (run `pnpm build` first), the same pipeline as `--sync`.
import { mkdtemp, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { apply, formatFieldError, parseStackJson, plan } from "@nixos-stack/core";
import { renderStack } from "@nixos-stack/templates";

export const EXAMPLES_DIR = new URL("../../examples/", import.meta.url).pathname;

async function walk(dir, root = dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path, root)));
    else out.push(relative(root, path));
  }
  return out.sort();
}

/** Render an example into a fresh temp directory through plan + apply; returns that directory. */
export async function renderExample(name) {
  const manifestPath = join(EXAMPLES_DIR, name, "nixos-stack.json");
  const result = parseStackJson(await readFile(manifestPath, "utf8"), manifestPath);
  if (!result.ok) throw new Error(`${manifestPath}:\n${result.errors.map(formatFieldError).join("\n")}`);
  const parent = await mkdtemp(join(tmpdir(), `nixos-stack-example-${name}-`));
  const dir = join(parent, name);
  const tree = renderStack(result.stack);
  await apply(await plan(tree, dir), tree);
  return dir;
}

/** Differences between the committed example and a fresh render: [] when they match. */
export async function diffExample(name) {
  const fresh = await renderExample(name);
  const committedDir = join(EXAMPLES_DIR, name);
  const [want, have] = [await walk(fresh), await walk(committedDir)];
  const diffs = [];
  for (const path of want) {
    if (!have.includes(path)) diffs.push(`missing: examples/${name}/${path}`);
    else {
      const [a, b] = [await readFile(join(fresh, path)), await readFile(join(committedDir, path))];
      if (!a.equals(b)) diffs.push(`differs: examples/${name}/${path}`);
      const [ma, mb] = [(await stat(join(fresh, path))).mode & 0o111, (await stat(join(committedDir, path))).mode & 0o111];
      if (ma !== mb) diffs.push(`mode differs: examples/${name}/${path}`);
    }
  }
  for (const path of have) if (!want.includes(path)) diffs.push(`not generated (remove it): examples/${name}/${path}`);
  await rm(join(fresh, ".."), { recursive: true, force: true });
  return diffs;
}

export async function exampleNames() {
  return (await readdir(EXAMPLES_DIR, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

/** Replace examples/<name>/ with a fresh render of its manifest. */
export async function writeExample(name) {
  const fresh = await renderExample(name);
  const target = join(EXAMPLES_DIR, name);
  await rm(target, { recursive: true, force: true });
  await rename(fresh, target);
  await rm(join(fresh, ".."), { recursive: true, force: true });
}
