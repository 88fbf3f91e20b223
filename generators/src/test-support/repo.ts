/** Generated repos for the edit tests: a manifest rendered to disk through the real pipeline. */
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { apply, parseStackJson, plan } from "@nixos-stack/core";
import { renderStack } from "@nixos-stack/templates";

export const EXAMPLE_MANIFEST = new URL("../../../examples/vps/nixos-stack.json", import.meta.url).pathname;

/** Writes the repo of `manifestText` into `dir`, keeping that exact text as its nixos-stack.json. */
export async function writeRepo(dir: string, manifestText?: string): Promise<void> {
  const text = manifestText ?? (await readFile(EXAMPLE_MANIFEST, "utf8"));
  const result = parseStackJson(text);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const tree = renderStack(result.stack);
  tree.set("nixos-stack.json", { ...tree.get("nixos-stack.json")!, content: text });
  await apply(await plan(tree, dir), tree);
}

/** Every file under `dir` (but .git) → its bytes, to compare a repo before and after. */
export async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const path = relative(dir, join(e.parentPath, e.name));
    if (!path.startsWith(".git/")) out.set(path, await readFile(join(dir, path), "utf8"));
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}
