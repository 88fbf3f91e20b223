import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mermaid } from "./mermaid.js";

describe("mermaid label escaping", () => {
  it("writes the characters that would end or change a quoted label as entity codes", () => {
    expect(mermaid('a "b" <c> & #d `e`')).toBe("a #quot;b#quot; #lt;c#gt; #amp; #35;d #96;e#96;");
    expect(mermaid("lab-server")).toBe("lab-server");
    expect(mermaid("one\ntwo")).toBe("one two");
  });

  it("no output can close the label or start a new diagram line, whatever the input", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const out = mermaid(text);
        expect(out).not.toMatch(/["<>`\n]/);
        // every '#' starts one of our entity codes
        expect(out.replace(/#(35|quot|lt|gt|amp|96);/g, "")).not.toContain("#");
      }),
    );
  });
});
