// The committed JSON Schema (a test in core keeps it equal to the zod schema); reading it
// instead of regenerating it keeps zod's toJSONSchema off the scaffolding path.
import jsonSchema from "@nixos-stack/core/schema.json" with { type: "json" };

/**
 * .nixos-stack/schema.json as written. The bundle (packages/create-nixos-stack/build.mjs:
 * inlineJsonSchemaText) replaces this module with the committed file's text as one string, so a
 * scaffold neither builds the schema's object nor serialises it again (about 0.3 ms of a start).
 */
export const JSON_SCHEMA_TEXT = `${JSON.stringify(jsonSchema, null, 2)}\n`;
