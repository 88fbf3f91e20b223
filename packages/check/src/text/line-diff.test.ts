import { describe, expect, it } from "vitest";
import { describeHunk, diffLines } from "./line-diff.js";

describe("diffLines", () => {
  it("finds no hunk in identical text", () => {
    expect(diffLines("a\nb\n", "a\nb\n")).toEqual([]);
  });

  it("reports a changed line at its on-disk line number, with both versions", () => {
    const [hunk, ...rest] = diffLines("a\nb\nc\nd", "a\nB\nc\nd");
    expect(rest).toEqual([]);
    expect(hunk).toEqual({ expectedStart: 2, expectedLines: ["b"], actualStart: 2, actualLines: ["B"] });
    expect(describeHunk(hunk!)).toBe("line 2");
  });

  it("separates distant edits into separate hunks", () => {
    const expected = ["1", "2", "3", "4", "5", "6"].join("\n");
    const actual = ["1", "two", "3", "4", "5", "six", "seven"].join("\n");
    expect(diffLines(expected, actual).map(describeHunk)).toEqual(["line 2", "lines 6–7"]);
  });

  it("locates lines missing on disk before the line that follows them", () => {
    const [hunk] = diffLines("a\nb\nc", "a\nc");
    expect(hunk).toMatchObject({ expectedLines: ["b"], actualLines: [] });
    expect(describeHunk(hunk!)).toBe("before line 2");
  });
});
