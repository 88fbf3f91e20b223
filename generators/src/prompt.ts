/**
 * Interactive answers through plop (inquirer). node-plop is imported only here,
 * and only when a terminal is attached, so `--yes` and CI runs never load it.
 */
import type { StackAnswers } from "./stack/answers.js";
import { stackGenerator, type StackGeneratorContext } from "./stack/generator.js";

export async function promptStackAnswers(ctx: StackGeneratorContext): Promise<StackAnswers> {
  const { default: nodePlop } = await import("node-plop");
  const plop = await nodePlop(undefined, { destBasePath: ctx.dir, force: false });
  plop.setGenerator("stack", stackGenerator(ctx));
  // inquirer 9 answers Ctrl-C by closing its prompt and re-sending SIGINT to the process;
  // with the prompt closed the event loop can drain first, so catch that here too.
  let finished = false;
  const cancelled = () => {
    if (finished) return;
    process.stderr.write("\nCancelled; nothing was written.\n");
    process.exit(130);
  };
  process.once("beforeExit", cancelled);
  try {
    return (await plop.getGenerator("stack").runPrompts()) as StackAnswers;
  } finally {
    finished = true;
    process.off("beforeExit", cancelled);
  }
}
