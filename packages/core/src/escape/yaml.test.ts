import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { yamlString, YamlEscapeError } from "./yaml.js";

describe("yamlString", () => {
  it("quotes what YAML would otherwise read as another type or structure", () => {
    expect(yamlString("yes")).toBe('"yes"');
    expect(yamlString("a: b # c")).toBe('"a: b # c"');
    expect(yamlString('say "hi" \\')).toBe('"say \\"hi\\" \\\\"');
    expect(yamlString("a\nb\u2028c\x07")).toBe('"a\\nb\\Lc\\x07"');
    expect(yamlString(22)).toBe('"22"');
  });

  it("refuses a GitHub expression, which no quoting makes inert", () => {
    expect(() => yamlString("${{ secrets.TOKEN }}")).toThrow(YamlEscapeError);
  });

  it("reads back as the same string inside a mapping and a flow list, for any text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }).filter((s) => !s.includes("${{")), (s) => {
        const doc = parse(`key: ${yamlString(s)}\nlist: [${yamlString(s)}, ${yamlString("x")}]\n`) as { key: string; list: string[] };
        expect(doc.key).toBe(s);
        expect(doc.list).toEqual([s, "x"]);
      }),
      { numRuns: 400 },
    );
  });
});
