/** The `remove-service` generator: asks the host, then which of its services, then runs the edit pipeline. */
import type { PlopGeneratorConfig } from "node-plop";
import type { EditGeneratorContext } from "../add-target/generator.js";
import { EDIT_STACK_ACTION, type EditActionConfig } from "../manifest-edit/edit-action.js";
import { removeServiceEdit } from "./to-edit.js";

export function removeServiceGenerator(ctx: EditGeneratorContext): Partial<PlopGeneratorConfig> {
  const known = ctx.known ?? {};
  const action: EditActionConfig = {
    dir: ctx.dir,
    dryRun: ctx.dryRun,
    edit: (answers) => {
      const all = { ...known, ...answers };
      return removeServiceEdit(String(all.host ?? ""), String(all.name ?? ""));
    },
  };
  const servicesOf = async (host: unknown) => (await ctx.loadStack()).hosts.find((h) => h.name === host)?.services.map((s) => s.name) ?? [];
  // typed rather than a list: plop answers a list whose choices depend on the host only by asking
  const prompts = [
    ctx.hostNames?.length ? { name: "host", type: "list", message: "On which host?", choices: ctx.hostNames } : { name: "host", type: "input", message: "On which host?" },
    {
      name: "name",
      type: "input",
      message: "Which service to remove (its generated files are deleted; files you edited stay)?",
      validate: async (value: unknown, answers: Record<string, unknown> = {}) => {
        const names = await servicesOf({ ...known, ...answers }.host);
        return names.includes(String(value)) || `name ${JSON.stringify(value)} — not a service of that host; its services are ${names.join(", ") || "none"}`;
      },
    },
  ];
  return {
    description: "Remove a service from a host of this nixos-stack repo",
    prompts: prompts.filter((q) => known[q.name] === undefined) as never,
    actions: [{ type: EDIT_STACK_ACTION, ...action } as never],
  };
}
