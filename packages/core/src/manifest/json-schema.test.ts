import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { stackJsonSchemaText } from "./json-schema.js";
import { NIXPKGS_RELEASES } from "./releases.js";

it("the committed JSON Schema is what the zod schema exports (run `pnpm --filter @nixos-stack/core schema` after changing it)", () => {
  const committed = readFileSync(new URL("../../schema/nixos-stack.schema.json", import.meta.url), "utf8");
  expect(committed).toBe(stackJsonSchemaText());
});

it("the JSON Schema carries the field rules editors need", () => {
  const schema = JSON.parse(stackJsonSchemaText());
  expect(schema.required).toEqual(expect.arrayContaining(["name", "admins", "hosts"]));
  const host = schema.properties.hosts.items;
  expect(host.properties.name.pattern).toBe("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$");
  expect(host.properties.deploy.properties.sshPort.maximum).toBe(65535);
  expect(host.additionalProperties).toBe(false);
  // editors complete the supported branches and flag the rest
  expect(schema.properties.nixpkgs.properties.branch.enum).toEqual(NIXPKGS_RELEASES.map((r) => r.branch));
  expect(host.properties.disk.properties.device.pattern).toContain("nvme[0-9]+n[0-9]+");
});
