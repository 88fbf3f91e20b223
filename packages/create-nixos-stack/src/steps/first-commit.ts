/**
 * The first commit with a Ctrl-C held until git has finished. Bundled into cli.cjs, not into the
 * lazily loaded git-init file: the interrupt state (core's deferInterrupts / noteWritten) must be
 * the one the apply step used, and only one copy of core may exist per process.
 */
import { deferInterrupts, noteWritten, type Outcome } from "@nixos-stack/core";
import type { StepResult } from "./git-init.js";

/** What exists once the git step has ended, for a Ctrl-C from then on. */
function afterGit(dir: string, outcome: Outcome<StepResult>): string {
  if (outcome.ok && outcome.value.status === "done") {
    return `\nInterrupted after the first commit; the repo in ${dir} is complete and committed. Next: cd ${dir} and read README.md.\n`;
  }
  const reason = outcome.ok && outcome.value.status !== "done" ? outcome.value.reason : `the first commit did not finish; run \`git -C ${dir} status\`, then \`git add -A && git commit\``;
  return `\nInterrupted after the files were written; the repo in ${dir} is complete, not committed (git: ${reason}).\n`;
}

/** gitInit (execa loads only now), with a Ctrl-C meanwhile held until git has finished; the exit message then says what exists. */
export async function firstCommit(dir: string): Promise<StepResult> {
  const result = await deferInterrupts(
    async () => (await import("./git-init.js")).gitInit(dir),
    async (outcome) => afterGit(dir, outcome),
  );
  noteWritten(afterGit(dir, { ok: true, value: result }));
  return result;
}
