/** The `stack` generator: asks the questions not answered yet, then runs the pipeline action. */
import { DEFAULTS, type ForceScope } from "@nixos-stack/core";
import type { NodePlopAPI, PlopGeneratorConfig } from "node-plop";
import { WRITE_STACK_ACTION } from "../actions/write-stack-action.js";
import type { StackAnswers } from "./answers.js";
import { stackQuestions } from "./questions.js";
import { askFleetTargets } from "./target-questions.js";

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
        open.map(({ parse, validate, when, ...q }) => ({
          ...q,
          default: q.name === "sshKeys" ? (ctx.defaults.sshKeys?.[0] ?? "") : (ctx.defaults[q.name] ?? q.default),
          // inquirer replaces its own filter/validate/when with an explicit undefined, so set them only when present
          ...(parse ? { filter: parse } : {}),
          ...(validate ? { validate } : {}),
          // `when` sees the flags' answers too, not only this run's (the preset may come from --preset)
          ...(when ? { when: (so: Partial<StackAnswers>) => when({ ...ctx.known, ...so }) } : {}),
        })) as never,
      );
      const answers: StackAnswers = { ...ctx.defaults, ...ctx.known, ...(asked as Partial<StackAnswers>) };
      if (answers.preset === "fleet" && ctx.known.targets === undefined) {
        answers.targets = await askFleetTargets(inquirer as never, answers.admin ?? DEFAULTS.adminName, ctx.known.sshPort);
      }
      return answers;
    },
    actions: [{ type: WRITE_STACK_ACTION, dir: ctx.dir, force: ctx.force, dryRun: ctx.dryRun } as never],
  };
}

export function registerStackGenerator(plop: NodePlopAPI, ctx: StackGeneratorContext): void {
  plop.setGenerator("stack", stackGenerator(ctx));
}
