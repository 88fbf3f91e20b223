/** The `stack` generator: asks the questions not answered yet, then runs the pipeline action. */
import type { ForceScope } from "@nixos-stack/core";
import type { NodePlopAPI, PlopGeneratorConfig } from "node-plop";
import { WRITE_STACK_ACTION } from "../actions/write-stack-action.js";
import type { StackAnswers } from "./answers.js";
import { stackQuestions } from "./questions.js";

export interface StackGeneratorContext {
  /** answers already given by flags or --config: not asked again */
  known: Partial<StackAnswers>;
  /** defaults offered at each prompt */
  defaults: StackAnswers;
  dir: string;
  force?: ForceScope;
  dryRun?: boolean;
}

export function stackGenerator(ctx: StackGeneratorContext): Partial<PlopGeneratorConfig> {
  return {
    description: "A new NixOS stack repository",
    prompts: async (inquirer) => {
      const open = stackQuestions.filter((q) => ctx.known[q.name] === undefined);
      const asked = await inquirer.prompt(
        open.map(({ parse, validate, ...q }) => ({
          ...q,
          default: q.name === "sshKeys" ? (ctx.defaults.sshKeys?.[0] ?? "") : ctx.defaults[q.name],
          // inquirer replaces its own filter/validate with an explicit undefined, so set them only when present
          ...(parse ? { filter: parse } : {}),
          ...(validate ? { validate } : {}),
        })) as never,
      );
      return { ...ctx.defaults, ...ctx.known, ...(asked as Partial<StackAnswers>) };
    },
    actions: [{ type: WRITE_STACK_ACTION, dir: ctx.dir, force: ctx.force, dryRun: ctx.dryRun } as never],
  };
}

export function registerStackGenerator(plop: NodePlopAPI, ctx: StackGeneratorContext): void {
  plop.setGenerator("stack", stackGenerator(ctx));
}
