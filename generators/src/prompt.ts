/**
 * Interactive answers through plop (inquirer). node-plop is imported only here,
 * and only when a terminal is attached, so `--yes` and CI runs never load it.
 */
import type { PlopGeneratorConfig } from "node-plop";
import type { StackAnswers } from "./stack/answers.js";
import { stackGenerator, type StackGeneratorContext } from "./stack/generator.js";

/** Runs one generator's prompts (not its actions) in `dir`; Ctrl-C exits 130 having written nothing. */
export async function promptWithGenerator(name: string, config: Partial<PlopGeneratorConfig>, dir: string): Promise<Record<string, unknown>> {
  const { default: nodePlop } = await import("node-plop");
  const plop = await nodePlop(undefined, { destBasePath: dir, force: false });
  plop.setGenerator(name, config);
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
    return (await plop.getGenerator(name).runPrompts()) as Record<string, unknown>;
  } finally {
    finished = true;
    process.off("beforeExit", cancelled);
  }
}

export async function promptStackAnswers(ctx: StackGeneratorContext): Promise<StackAnswers> {
  return (await promptWithGenerator("stack", stackGenerator(ctx), ctx.dir)) as unknown as StackAnswers;
}
