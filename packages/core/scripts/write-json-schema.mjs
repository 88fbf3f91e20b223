// Writes schema/nixos-stack.schema.json from the zod schema (run after `pnpm build`).
import { writeFileSync } from "node:fs";
import { stackJsonSchemaText } from "../dist/index.js";

writeFileSync(new URL("../schema/nixos-stack.schema.json", import.meta.url), stackJsonSchemaText());
console.log("wrote schema/nixos-stack.schema.json");
