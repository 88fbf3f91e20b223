import { readFileSync } from "node:fs";
import { parseStackJson } from "@nixos-stack/core";
import { describe, expect, it } from "vitest";
import { removeServiceEdit } from "../remove-service/to-edit.js";
import { EXAMPLE_MANIFEST } from "../test-support/repo.js";
import { toServiceAnswers } from "./generator.js";
import { addServiceEdit } from "./to-edit.js";

const docOf = (text: string) => {
  const r = parseStackJson(text);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return { dir: "/repo", text, stack: r.stack };
};
const example = () => docOf(readFileSync(EXAMPLE_MANIFEST, "utf8"));

describe("add-service's and remove-service's manifest edits", () => {
  it("appends the service to its host only, with only the fields answered (the rest are the schema's defaults)", () => {
    const doc = example();
    const after = JSON.parse(addServiceEdit({ kind: "gateway", host: doc.stack.hosts[1]!.name, name: "relay", fields: { port: 18800 } }).apply(doc));
    expect(after.hosts[1].services.at(-1)).toEqual({ kind: "gateway", name: "relay", port: 18800 });
    expect(after.hosts[0].services).toEqual(JSON.parse(doc.text).hosts[0].services);
  });

  it("a node-app's answers land where its schema has them (source, settings, companion), and the result validates", () => {
    const doc = example();
    const fields = toServiceAnswers({ kind: "node-app", host: "h", name: "bot", "node-app.github": "acme/bot", "node-app.temperature": "0.7", "node-app.maxTokens": "512", "node-app.companion": "yes", "node-app.memoryMax": "1G" }).fields;
    const text = addServiceEdit({ kind: "node-app", host: doc.stack.hosts[0]!.name, name: "bot", fields }).apply(doc);
    expect(JSON.parse(text).hosts[0].services.at(-1)).toEqual({ kind: "node-app", name: "bot", source: { github: "acme/bot" }, settings: { temperature: 0.7, maxTokens: 512 }, memoryMax: "1G", companion: { enable: true } });
    expect(parseStackJson(text).ok).toBe(true);
  });

  it("an unknown host is refused naming --host and listing the hosts", () => {
    const doc = example();
    expect(() => addServiceEdit({ kind: "gateway", host: "nope", name: "relay", fields: {} }).apply(doc)).toThrow(`--host: "nope" is not a host of nixos-stack.json; its hosts are ${doc.stack.hosts.map((h) => h.name).join(", ")}`);
  });

  it("a field of another kind is refused, naming it", () => {
    expect(() => addServiceEdit({ kind: "gateway", host: example().stack.hosts[0]!.name, name: "x", fields: { npmDepsHash: "" } }).apply(example())).toThrow("npmDepsHash: not a field of a gateway service");
  });

  it("prompt answers: a kind's fields are read under `<kind>.<field>`, parsed, and empty ones left to the defaults", () => {
    expect(toServiceAnswers({ kind: "gateway", host: "h", name: "n", "gateway.port": "18800", "gateway.user": "" })).toEqual({ kind: "gateway", host: "h", name: "n", fields: { port: 18800 } });
  });

  it("remove-service takes out exactly that service and is marked as a removal", () => {
    const doc = example();
    const host = doc.stack.hosts[0]!;
    const edit = removeServiceEdit(host.name, host.services[0]!.name);
    expect(edit.removes).toBe(true);
    const after = JSON.parse(edit.apply(doc));
    expect(after.hosts[0].services).toEqual(JSON.parse(doc.text).hosts[0].services.slice(1));
    expect(after.hosts[1]).toEqual(JSON.parse(doc.text).hosts[1]);
  });
});
