import * as z from "zod/mini";
import { stackSchema } from "./schema.js";

/** The JSON Schema editors use to complete and validate nixos-stack.json (input side: defaulted fields optional). */
export function stackJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(stackSchema(), { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return {
    ...schema,
    $id: "https://nixos-stack.dev/schema/nixos-stack.schema.json",
    title: "nixos-stack manifest",
    description: "nixos-stack.json: the single source of truth of a generated NixOS repository.",
  };
}

export function stackJsonSchemaText(): string {
  return `${JSON.stringify(stackJsonSchema(), null, 2)}\n`;
}
