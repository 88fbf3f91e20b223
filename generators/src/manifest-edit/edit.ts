/**
 * A manifest edit: the first step of the add/remove pipelines (add-target, remove-target, and
 * later add-service/remove-service). Pure: the document in, the new manifest text out; the
 * pipeline (edit-stack.ts) validates that text as a whole before anything is written.
 */
import type { Stack } from "@nixos-stack/core";
import type { ManifestDocument } from "./document.js";

export interface ManifestEdit {
  /** What it does, for messages: `add-target vps-3`. */
  title: string;
  /** The new manifest text. Throws a StackError for an edit that cannot apply (e.g. an unknown host). */
  apply(doc: ManifestDocument): string;
  /** It removes something: the pipeline then reports the user's files of it, which stay. */
  removes?: boolean;
  /** What the user should know afterwards (e.g. "vps-3 has no services"), from the manifests before and after. */
  notes?(before: Stack, after: Stack): string[];
}
