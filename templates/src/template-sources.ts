/**
 * Loads every template under templates/files once, at import time. Template ids
 * are their paths relative to files/, without a trailing `.hbs`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const TEMPLATES_DIR = fileURLToPath(new URL("../files", import.meta.url));

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

export function loadTemplateSources(dir = TEMPLATES_DIR): Map<string, string> {
  const sources = new Map<string, string>();
  for (const file of walk(dir).sort()) {
    const id = relative(dir, file).split(sep).join("/").replace(/\.hbs$/, "");
    sources.set(id, readFileSync(file, "utf8"));
  }
  return sources;
}

export const templateSources: ReadonlyMap<string, string> = loadTemplateSources();
