/** What an edit did (or would do), as text for a person: the changed files, then what to do next. */
import { formatPlan, sh, type PlanAction } from "@nixos-stack/core";
import type { EditStackResult } from "./edit-stack.js";

export interface EditReport {
  /** the plan and the next steps (stdout) */
  out: string;
  /** warnings and the conflict (stderr) */
  err: string;
  /** 0 done (or a dry run), 1 when a hand-edited generated file stopped the write */
  exitCode: 0 | 1;
}

/** Lines of every file that changes; unchanged files are only counted (a fleet repo has hundreds). */
function changes(result: EditStackResult): string {
  const quiet: PlanAction[] = ["unchanged", "keep-user-edit"];
  const shown = result.plan.entries.filter((e) => !quiet.includes(e.action));
  const untouched = result.plan.entries.length - shown.length;
  return `${formatPlan({ ...result.plan, entries: shown })}${untouched ? `, ${untouched} unchanged` : ""}`;
}

export function formatEditResult(result: EditStackResult, options: { dryRun?: boolean } = {}): EditReport {
  const paths = (action: PlanAction) => result.plan.entries.filter((e) => e.action === action).map((e) => e.path);
  const conflicts = paths("conflict");
  const out = [`${options.dryRun ? "Dry run: " : ""}${result.title} in ${result.dir}`, changes(result)];
  const err: string[] = [];
  if (conflicts.length) {
    err.push(
      `✖ generated files edited by hand: ${conflicts.join(", ")}. Nothing was written (not even nixos-stack.json).`,
      "  Move your change into hosts/<name>/configuration.nix (your file, never touched), or run `--sync --force` to replace those files, then try again.",
    );
    return { out: `${out.join("\n")}\n`, err: `${err.join("\n")}\n`, exitCode: 1 };
  }
  if (options.dryRun) out.push("Nothing was written.");
  const orphans = paths("keep-orphan");
  if (orphans.length) err.push(`! no longer generated, but edited by hand, so left in place: ${orphans.join(", ")}; delete them once your change lives elsewhere`);
  if (result.userFilesKept.length) out.push(`Your own files stay: ${result.userFilesKept.join(", ")}; delete them (git rm) once you no longer need them.`);
  out.push(...result.notes);
  const touched = result.plan.entries.filter((e) => ["create", "update", "delete"].includes(e.action)).map((e) => e.path);
  if (!options.dryRun && touched.length) {
    // a flake sees only what git tracks: new files must be added before `nix flake check` or a deploy
    out.push(`Commit it (a flake sees only what git tracks):\n  git add -A ${touched.map(sh).join(" ")} && git commit -m ${sh(result.title)}`);
  }
  return { out: `${out.join("\n")}\n`, err: err.length ? `${err.join("\n")}\n` : "", exitCode: 0 };
}
