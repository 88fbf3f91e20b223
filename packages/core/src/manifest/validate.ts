import * as z from "zod/mini";
import { stackSchema, type Stack } from "./schema.js";
import { formatPath } from "./field-path.js";
import { serviceSchema } from "./services/index.js";

export { formatPath } from "./field-path.js";

const serviceKinds = () => serviceSchema().options.map((o) => o.shape.kind.value);

export interface FieldError {
  /** `hosts[0].name` style path; `(manifest)` for the whole document. */
  path: string;
  /** JSON of the offending value, or undefined when the field is missing. */
  value: string | undefined;
  /** What the rule is and how to fix it. */
  rule: string;
}

export type ValidationResult = { ok: true; stack: Stack } | { ok: false; errors: FieldError[] };

/** The rules that refuse a value because it looks like a secret (services/node-app.ts). */
const SECRET_RULE = /secret file|would reach the Nix store/;

function describeValue(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

function ruleText(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      // a required field with a message of its own says what to put there
      if (issue.input === undefined) return issue.message.startsWith("Invalid input") ? "is required" : `is required: ${issue.message}`;
      // a field's own message (`z.boolean({ error })`) says what the value means; zod's own begins "Invalid input"
      if (!issue.message.startsWith("Invalid input")) return issue.message;
      return `must be ${issue.expected === "int" ? "a whole number" : `a ${issue.expected}`}`;
    case "unrecognized_keys":
      return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}: remove ${issue.keys.length > 1 ? "them" : "it"} or check the spelling`;
    case "invalid_union":
      return issue.message;
    case "invalid_key":
      // a record's key refused by its own rule: zod says only "Invalid key in record"; give the rule
      return issue.issues.map((i) => i.message).join("; ") || issue.message;
    default:
      return issue.message;
  }
}

export function toFieldErrors(error: z.core.$ZodError): FieldError[] {
  return error.issues.map((issue) => {
    if (issue.code === "invalid_union" && "note" in issue && issue.note === "No matching discriminator" && "discriminator" in issue && issue.discriminator !== "kind") {
      // another tagged choice (a monitoring service's alerting.receiver): name its choices
      const tag = String(issue.discriminator);
      const options = "options" in issue && Array.isArray(issue.options) ? issue.options.map((o) => JSON.stringify(o)).join(", ") : "";
      return { path: formatPath(issue.path), value: describeValue((issue.input as Record<string, unknown> | undefined)?.[tag]), rule: `use one of ${options}` };
    }
    if (issue.code === "invalid_union" && "note" in issue && issue.note === "No matching discriminator") {
      const kind = (issue.input as { kind?: unknown } | undefined)?.kind;
      return { path: formatPath([...issue.path, "kind"].filter((k, i, a) => !(k === "kind" && a[i - 1] === "kind"))), value: describeValue(kind), rule: `use a service "kind" this version knows: ${serviceKinds().join(", ")}` };
    }
    const rule = ruleText(issue);
    // a value refused for looking like a secret is not printed back (terminals and CI logs keep it)
    const value = issue.code === "unrecognized_keys" ? undefined : SECRET_RULE.test(rule) ? "(value not shown)" : describeValue(issue.input);
    return { path: formatPath(issue.path), value, rule };
  });
}

/** `hosts[0].name: "Web_1" — use lowercase letters, …` */
export function formatFieldError(e: FieldError): string {
  return e.value === undefined ? `${e.path}: ${e.rule}` : `${e.path}: ${e.value} — ${e.rule}`;
}

/** Pure: validate a parsed JSON value as a stack manifest and apply defaults. */
export function validateStack(input: unknown): ValidationResult {
  const result = stackSchema().safeParse(input, { reportInput: true });
  if (result.success) return { ok: true, stack: result.data };
  return { ok: false, errors: toFieldErrors(result.error) };
}

/** Parse manifest text (JSON) and validate it; a JSON syntax error becomes a field error too. */
export function parseStackJson(text: string, source = "nixos-stack.json"): ValidationResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { ok: false, errors: [{ path: source, value: undefined, rule: `is not valid JSON (${(err as Error).message})` }] };
  }
  return validateStack(data);
}
