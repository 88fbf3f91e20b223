import { describe, expect, it } from "vitest";
import { diffExample, exampleNames } from "./lib/examples.mjs";

describe("examples/", async () => {
  const names = await exampleNames();
  it("has the VPS scenario", () => expect(names).toContain("vps"));
  it.each(names)("examples/%s is exactly what its nixos-stack.json renders (run `pnpm examples` after a template change)", async (name) => {
    expect(await diffExample(name)).toEqual([]);
  });
});
