import { describe, expect, it } from "vitest";
import { appendToArray, formattingOf, removeFromArray } from "./json-text.js";

const doc = { "x-team": "ops", hosts: [{ name: "a", "x-rack": 4 }], name: "infra" };

describe("manifest text edits", () => {
  it.each([
    ["two spaces", JSON.stringify(doc, null, 2), "  "],
    ["four spaces", JSON.stringify(doc, null, 4), "    "],
    ["tabs and CRLF", JSON.stringify(doc, null, "\t").replace(/\n/g, "\r\n"), "\t"],
  ])("appends in the document's own layout (%s), leaving every other byte as it was", (_, text, indent) => {
    const after = appendToArray(text, ["hosts"], { name: "b", deploy: { sshPort: 22 } });
    expect(JSON.parse(after)).toEqual({ ...doc, hosts: [...doc.hosts, { name: "b", deploy: { sshPort: 22 } }] });
    const eol = text.includes("\r\n") ? "\r\n" : "\n";
    expect(after).toContain(`${eol}${indent.repeat(2)}{${eol}${indent.repeat(3)}"name": "b",${eol}${indent.repeat(3)}"deploy": {${eol}${indent.repeat(4)}"sshPort": 22${eol}`);
    if (eol === "\r\n") expect(after.replace(/\r\n/g, "")).not.toContain("\n");
    // removing what was added gives the user's text back, byte for byte: nothing else was touched
    expect(removeFromArray(after, ["hosts"], 1)).toBe(text);
  });

  it("keeps a one-line document on one line, and a missing final newline missing", () => {
    const text = JSON.stringify(doc);
    const after = appendToArray(text, ["hosts"], { name: "b" });
    expect(after).toBe(text.replace(`"x-rack":4}]`, `"x-rack":4},{"name":"b"}]`));
    expect(formattingOf(text)).toBeUndefined();
  });

  it("removes an item from the middle without reformatting its neighbours", () => {
    const text = `{\n  "hosts": [\n    { "name": "a" },\n    { "name": "b" },\n    { "name": "c" }\n  ]\n}\n`;
    expect(removeFromArray(text, ["hosts"], 1)).toBe(`{\n  "hosts": [\n    { "name": "a" },\n    { "name": "c" }\n  ]\n}\n`);
  });
});

describe("removing the first, last or only item", () => {
  const text = `{\n  "hosts": [\n    { "name": "a" },\n    { "name": "b" }\n  ],\n  "x": 1\n}\n`;
  it.each([
    [0, `{\n  "hosts": [\n    { "name": "b" }\n  ],\n  "x": 1\n}\n`],
    [1, `{\n  "hosts": [\n    { "name": "a" }\n  ],\n  "x": 1\n}\n`],
  ])("item %i", (index, expected) => {
    expect(removeFromArray(text, ["hosts"], index)).toBe(expected);
  });
  it("the only item leaves an empty array", () => {
    expect(removeFromArray(`{ "hosts": [ { "name": "a" } ] }`, ["hosts"], 0)).toBe(`{ "hosts": [] }`);
  });
});

describe("appending next to items the user wrote on one line", () => {
  it("leaves them on their line, and lays out only the new item", () => {
    const text = `{\n   "hosts": [\n      { "name": "web", "deploy": { "sshPort": 2201 } }\n   ],\n   "x": [ 1, 2 ]\n}`;
    const after = appendToArray(text, ["hosts"], { name: "lab", deploy: { sshPort: 22 } });
    expect(after).toBe(text.replace(`2201 } }\n`, `2201 } },\n      {\n         "name": "lab",\n         "deploy": {\n            "sshPort": 22\n         }\n      }\n`));
  });

  it("fills an empty array in the document's layout", () => {
    const after = appendToArray(`{\n  "services": []\n}\n`, ["services"], { kind: "gateway" });
    expect(after).toBe(`{\n  "services": [\n    {\n      "kind": "gateway"\n    }\n  ]\n}\n`);
  });
});
