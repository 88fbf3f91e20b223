import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sh } from "./shell.js";

describe("sh", () => {
  it("quotes anything that is not a plain word", () => {
    expect(sh("vps-x86")).toBe("vps-x86");
    expect(sh("it's")).toBe("'it'\\''s'");
    expect(sh("$(rm -rf /)")).toBe("'$(rm -rf /)'");
    expect(sh("")).toBe("''");
  });
  it("bash reads every quoted word back unchanged", () => {
    const words = fc.sample(fc.string({ unit: "binary", maxLength: 30 }).filter((s) => !s.includes("\0")), 500);
    const script = words.map((w) => `printf '%s\\0' ${sh(w)}`).join("\n");
    const out = execFileSync("bash", ["-c", script], { encoding: "utf8" });
    expect(out.split("\0").slice(0, -1)).toEqual(words);
  });
});
