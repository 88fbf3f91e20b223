/** The one pipeline every entry point ends in: render → plan → apply (or just plan, for --dry-run). */
import { apply, plan, type ApplyOptions, type ApplyResult, type ForceScope, type Plan, type Stack } from "@nixos-stack/core";
import { renderStack } from "@nixos-stack/templates";

const MANIFEST = "nixos-stack.json";

export interface WriteStackOptions extends ApplyOptions {
  dir: string;
  /** what may be replaced: "managed" for a sync, "all" for create --force */
  force?: ForceScope;
  dryRun?: boolean;
  /**
   * The manifest's new text, from an edit (add-target…): written in the same atomic apply as
   * the files it changes, in place of the rendered one. Nothing else may replace the user's manifest.
   */
  manifestText?: string;
  /** Write nothing at all when a generated file was edited by hand (the edit pipelines). */
  allOrNothing?: boolean;
}

export interface WriteStackResult {
  plan: Plan;
  /** undefined on a dry run, or when allOrNothing met a conflict */
  applied?: ApplyResult;
}

export async function writeStack(stack: Stack, options: WriteStackOptions): Promise<WriteStackResult> {
  const tree = renderStack(stack);
  const replace: string[] = [];
  if (options.manifestText !== undefined) {
    tree.set(MANIFEST, { ...tree.get(MANIFEST)!, content: options.manifestText });
    replace.push(MANIFEST);
  }
  const thePlan = await plan(tree, options.dir, { force: options.force, replace });
  if (options.dryRun) return { plan: thePlan };
  if (options.allOrNothing && thePlan.entries.some((e) => e.action === "conflict")) return { plan: thePlan };
  return { plan: thePlan, applied: await apply(thePlan, tree, options) };
}
