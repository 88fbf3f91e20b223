/** The one pipeline every entry point ends in: render → plan → apply (or just plan, for --dry-run). */
import { apply, contentHasher, plan, type ApplyOptions, type ApplyResult, type ForceScope, type Plan, type Stack } from "@nixos-stack/core";
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
}

export interface WriteStackResult {
  plan: Plan;
  /** undefined on a dry run, or when the plan has conflicts (then nothing is written) */
  applied?: ApplyResult;
  /** managed files edited by hand: when any, nothing was written (the change is all or nothing) */
  conflicts: string[];
}

export async function writeStack(stack: Stack, options: WriteStackOptions): Promise<WriteStackResult> {
  // the lock's hash compiles its WebAssembly off the main thread while the render runs (hash.ts;
  // it never rejects); plan and apply await it
  void contentHasher();
  const tree = renderStack(stack);
  const replace: string[] = [];
  if (options.manifestText !== undefined) {
    tree.set(MANIFEST, { ...tree.get(MANIFEST)!, content: options.manifestText });
    replace.push(MANIFEST);
  }
  const thePlan = await plan(tree, options.dir, { force: options.force, replace });
  const conflicts = thePlan.entries.filter((e) => e.action === "conflict").map((e) => e.path);
  if (options.dryRun || conflicts.length) return { plan: thePlan, conflicts };
  return { plan: thePlan, applied: await apply(thePlan, tree, options), conflicts };
}
