/** The manifest of an existing repo: its text as the user keeps it, and its validated value. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseStackJson, StackError, type Stack } from "@nixos-stack/core";

export const MANIFEST_PATH = "nixos-stack.json";

export interface ManifestDocument {
  /** the repo's directory */
  dir: string;
  /** the file's text, byte for byte */
  text: string;
  /** the text validated, defaults applied */
  stack: Stack;
}

/** Reads and validates `<dir>/nixos-stack.json`; an edit starts only from a valid manifest. */
export async function readManifest(dir: string): Promise<ManifestDocument> {
  const path = join(dir, MANIFEST_PATH);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new StackError("config-not-found", `${path}: not found; run this inside a nixos-stack repo, or pass its directory with --dir`);
    throw err;
  }
  const result = parseStackJson(text, path);
  if (!result.ok) {
    const error = StackError.invalidManifest(result.errors, path);
    throw new StackError("invalid-manifest", `${error.message}\n  Fix nixos-stack.json first (nothing was changed).`, result.errors);
  }
  return { dir, text, stack: result.stack };
}
