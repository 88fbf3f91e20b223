import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { diffExample, exampleNames } from "./lib/examples.mjs";

describe("examples/", async () => {
  const names = await exampleNames();
  it("has the VPS scenario", () => expect(names).toContain("vps"));
  // built on the operator's machine, run on a small server: the server must never rebuild itself
  it("the multi-instance web-app's server is built elsewhere: its daily auto-upgrade is off", () => {
    const manifest = JSON.parse(readFileSync(new URL("../examples/multi-instance-webapp/nixos-stack.json", import.meta.url), "utf8"));
    expect(manifest.hosts.map((h: { deploy: { autoUpgrade: boolean } }) => h.deploy.autoUpgrade)).toEqual([false]);
    const host = manifest.hosts[0].name;
    expect(readFileSync(new URL(`../examples/multi-instance-webapp/hosts/${host}/default.nix`, import.meta.url), "utf8")).toMatch(/autoUpgrade = false;/);
  });
  it.each(names)("examples/%s is exactly what its nixos-stack.json renders (run `pnpm examples` after a template change)", async (name) => {
    expect(await diffExample(name)).toEqual([]);
  });
});
