/**
 * The edit pipeline: manifest text → a pure edit → the new manifest validated as a whole →
 * render → plan → one atomic apply that writes the new manifest with the files it changes.
 * An invalid result, or a generated file edited by hand, writes nothing.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseStackJson, StackError, type ApplyOptions, type Plan, type Stack } from "@nixos-stack/core";
import { renderStack } from "@nixos-stack/templates";
import { writeStack } from "../pipeline/write-stack.js";
import { readManifest, MANIFEST_PATH } from "./document.js";
import type { ManifestEdit } from "./edit.js";

export interface EditStackOptions extends ApplyOptions {
  dryRun?: boolean;
}

export interface EditStackResult {
  title: string;
  dir: string;
  plan: Plan;
  /** the manifest after the edit */
  stack: Stack;
  /** false on a dry run, or when a conflict stopped the write */
  written: boolean;
  notes: string[];
  /** the user's own files of what was removed (a host's configuration.nix): never deleted */
  userFilesKept: string[];
}

/** Scaffold files the old manifest renders and the new one does not, still on disk. */
function userFilesOfRemoved(dir: string, before: Stack, after: Stack): string[] {
  const now = renderStack(after);
  return [...renderStack(before)]
    .filter(([path, file]) => file.ownership === "scaffold" && !now.has(path) && existsSync(join(dir, path)))
    .map(([path]) => path);
}

export async function editStack(dir: string, edit: ManifestEdit, options: EditStackOptions = {}): Promise<EditStackResult> {
  const doc = await readManifest(dir);
  const text = edit.apply(doc);
  const result = parseStackJson(text, MANIFEST_PATH);
  if (!result.ok) {
    const error = StackError.invalidManifest(result.errors, `${MANIFEST_PATH} after ${edit.title}`);
    throw new StackError("invalid-manifest", `${error.message}\n  Nothing was changed.`, result.errors);
  }
  const { plan, applied } = await writeStack(result.stack, { ...options, dir, manifestText: text });
  return {
    title: edit.title,
    dir,
    plan,
    stack: result.stack,
    written: applied !== undefined,
    notes: edit.notes?.(doc.stack, result.stack) ?? [],
    userFilesKept: edit.removes ? userFilesOfRemoved(dir, doc.stack, result.stack) : [],
  };
}
