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
  return (await plop.getGenerator("stack").runPrompts()) as StackAnswers;
}
