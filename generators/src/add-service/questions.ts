/**
 * The questions of `add-service`: the kind, the host, the name, then the chosen kind's own
 * questions (from kinds/<kind>.ts, asked only when that kind is picked). An empty answer
 * takes the schema's default; the whole manifest is validated before anything is written.
 */
import { rules } from "@nixos-stack/core";
import { SERVICE_KIND_PROMPTS, type KindField, type ServiceKindPrompts } from "./kinds/index.js";

type Answers = Record<string, unknown>;

/** The key a kind's field is asked under, so two kinds' fields of the same name never mix. */
export const fieldKey = (kind: string, field: string) => `${kind}.${field}`;

function fieldQuestion(field: KindField, name: string) {
  return {
    name,
    type: "input" as const,
    message: field.message,
    validate: (value: unknown) => {
      if (String(value ?? "").trim() === "") return true;
      try {
        field.parse(String(value));
        return true;
      } catch (err) {
        return `${field.name}: ${(err as Error).message}`;
      }
    },
  };
}

/**
 * The questions. Without `kind`: the kind is asked first and each kind's questions only when it
 * is picked (inquirer's `when`, which plop cannot answer from its command line). With `kind`
 * (the generator `add-service-<kind>`): no `when`, each field asked under its own name, so
 * `plop add-service-gateway -- --host h --name n --port 18800` answers everything.
 */
export function serviceQuestions(hostNames: readonly string[] | undefined, kind?: ServiceKindPrompts) {
  const kinds = SERVICE_KIND_PROMPTS.map((k) => k.kind);
  const common = [
    hostNames?.length ? { name: "host", type: "list" as const, message: "On which host?", choices: hostNames } : { name: "host", type: "input" as const, message: "On which host?" },
    {
      name: "name",
      type: "input" as const,
      message: "Its name (the unit's and the module's):",
      validate: (value: unknown) => {
        const r = rules.serviceName().safeParse(String(value ?? ""));
        return r.success || `name ${JSON.stringify(value)} — ${r.error.issues[0]?.message ?? "invalid"}`;
      },
    },
  ];
  if (kind) return [...common, ...kind.fields.map((field) => fieldQuestion(field, field.name))];
  return [
    { name: "kind", type: "list" as const, message: "Which kind of service?", choices: kinds },
    ...common,
    ...SERVICE_KIND_PROMPTS.flatMap((k) => k.fields.map((field) => ({ ...fieldQuestion(field, fieldKey(k.kind, field.name)), when: (answers: Answers) => answers.kind === k.kind }))),
  ];
}
