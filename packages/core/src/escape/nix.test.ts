import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hasNix, nixEvalJson } from "../test-support/nix-eval.js";
import { nix, nixAttr, NixFloat, nixPath, nixPretty, nixString } from "./nix.js";

describe("nixString", () => {
  it("escapes the characters Nix treats specially", () => {
    expect(nixString('a"b')).toBe('"a\\"b"');
    expect(nixString("a\\b")).toBe('"a\\\\b"');
    expect(nixString("${x}")).toBe('"\\${x}"');
    expect(nixString("$x and $${y}")).toBe('"$x and $\\${y}"');
    expect(nixString("line\nnext\ttab\r")).toBe('"line\\nnext\\ttab\\r"');
  });
  it("refuses NUL, which no Nix string can hold", () => {
    expect(() => nixString("a\0b")).toThrow(/NUL/);
  });
});

describe("nixAttr", () => {
  it("leaves plain names bare and quotes the rest", () => {
    expect(nixAttr("vps-x86")).toBe("vps-x86");
    expect(nixAttr("a.b")).toBe('"a.b"');
    expect(nixAttr("1abc")).toBe('"1abc"');
    expect(nixAttr("with")).toBe('"with"');
    expect(nixAttr("${x}")).toBe('"\\${x}"');
  });
});

describe("nix values", () => {
  it("prints JSON values as Nix, sorting attributes", () => {
    expect(nix({ b: [1, -2, true, null], a: "x" })).toBe('{ a = "x"; b = [ 1 (-2) true null ]; }');
    expect(nix([])).toBe("[ ]");
    expect(nixPretty({ a: { b: 1 } }, 2)).toBe("{\n    a = {\n      b = 1;\n    };\n  }");
  });
  it("accepts only relative path literals", () => {
    expect(nixPath("../../modules/system.nix")).toBe("../../modules/system.nix");
    expect(() => nixPath("/etc/passwd")).toThrow();
    expect(() => nixPath("./a b.nix")).toThrow();
    expect(() => nixPath("./${x}")).toThrow();
  });
});

describe.skipIf(!hasNix)("round trip through the real Nix evaluator", () => {
  it("every string evaluates back to itself (fast-check, one nix process)", () => {
    const samples = fc.sample(fc.string({ unit: "binary", maxLength: 40 }).filter((s) => !s.includes("\0")), 3000);
    samples.push("${", "$${", "\\${", "''", "''${", "$", "\\", '"', "${builtins.currentTime}", "\u{1F600}", "a\r\nb");
    const expr = `[ ${samples.map(nixString).join("\n")} ]`;
    expect(nixEvalJson(expr)).toEqual(samples);
  });
  it("nested values and odd attribute names evaluate back to the same JSON", () => {
    const values = fc.sample(
      fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }).filter((s) => !s.includes("\0")), fc.oneof(fc.string().filter((s) => !s.includes("\0")), fc.integer(), fc.boolean(), fc.array(fc.integer({ min: -5, max: 5 })))),
      300,
    );
    const expr = `[ ${values.map((v) => nix(v)).join("\n")} ]`;
    const back = nixEvalJson(expr) as unknown[];
    expect(back).toEqual(values.map((v) => JSON.parse(JSON.stringify(v, Object.keys(v).sort()))));
  });
});

describe("NixFloat", () => {
  it.runIf(hasNix)("writes a float Nix reads as a float, even when the number is whole", () => {
    const literals = [1, 0.7, 2, 1e-7, 1.5e21, -0.5].map((v) => nix({ t: new NixFloat(v) }));
    expect(nixEvalJson(`map (x: builtins.typeOf x.t) [ ${literals.map((l) => `(${l})`).join(" ")} ]`)).toEqual(literals.map(() => "float"));
    expect(nix(new NixFloat(1))).toBe("1.0");
    expect(nix(1)).toBe("1");
  });
});
