/**
 * The questions of `add-service`: the kind, the host, the name, then the chosen kind's own
 * questions (from kinds/<kind>.ts, asked only when that kind is picked). An empty answer
 * takes the schema's default; the whole manifest is validated before anything is written.
 */
import { rules } from "@nixos-stack/core";
import { SERVICE_KIND_PROMPTS } from "./kinds/index.js";

type Answers = Record<string, unknown>;

/** The key a kind's field is asked under, so two kinds' fields of the same name never mix. */
export const fieldKey = (kind: string, field: string) => `${kind}.${field}`;

export function serviceQuestions(hostNames: readonly string[] | undefined) {
  const kinds = SERVICE_KIND_PROMPTS.map((k) => k.kind);
  return [
    { name: "kind", type: "list" as const, message: "Which kind of service?", choices: kinds },
    hostNames?.length ? { name: "host", type: "list" as const, message: "On which host?", choices: hostNames } : { name: "host", type: "input" as const, message: "On which host?" },
    {
      name: "name",
      type: "input" as const,
      message: "Its name (the unit's and the module's):",
      validate: (value: unknown) => {
        const r = rules.serviceName.safeParse(String(value ?? ""));
        return r.success || `name ${JSON.stringify(value)} — ${r.error.issues[0]?.message ?? "invalid"}`;
      },
    },
    ...SERVICE_KIND_PROMPTS.flatMap((kind) =>
      kind.fields.map((field) => ({
        name: fieldKey(kind.kind, field.name),
        type: "input" as const,
        message: field.message,
        when: (answers: Answers) => answers.kind === kind.kind,
        validate: (value: unknown) => {
          if (String(value ?? "").trim() === "") return true;
          try {
            field.parse(String(value));
            return true;
          } catch (err) {
            return `${field.name}: ${(err as Error).message}`;
          }
        },
      })),
    ),
  ];
}
