/**
 * templates/packs/template-packs.json groups the templates a stack renders together; the bundle
 * (packages/create-nixos-stack/build.mjs) makes each pack one precompiled module. A pack that split
 * across stacks would make a stack load templates it never renders, so: every example renders
 * each pack whole or not at all, and every example renders the whole `every-stack` pack.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { validateStack } from "@nixos-stack/core";
import { describe, expect, it } from "vitest";
import { features } from "./features/index.js";
import { render } from "@nixos-stack/core";
import { templateSources } from "./template-sources.js";
import { EXAMPLES_DIR, exampleNames } from "../../scripts/lib/examples.mjs";

const packFile = new URL("../packs/template-packs.json", import.meta.url);
const packs = Object.entries(JSON.parse(readFileSync(packFile, "utf8")) as Record<string, string[] | string>).filter((e): e is [string, string[]] => !e[0].startsWith("$"));

/** The templates a manifest's render asks for. */
function templatesRendered(manifest: unknown): Set<string> {
  const result = validateStack(manifest);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const asked = new Set<string>();
  const recording = { get: (id: string) => (asked.add(id), templateSources.get(id)) } as typeof templateSources;
  render(result.stack, features, recording);
  return asked;
}

/** The packs this render uses only part of, each with what it used (every-stack must be used whole). */
function splitPacks(asked: Set<string>, of: [string, string[]][]): string[] {
  return of.flatMap(([pack, ids]) => {
    const used = ids.filter((id) => asked.has(id));
    const whole = used.length === ids.length;
    return whole || (used.length === 0 && pack !== "every-stack") ? [] : [`${pack}: ${used.length} of ${ids.length} (${used.join(", ")})`];
  });
}

describe("template packs", () => {
  it("name only templates that exist, each in one pack at most", () => {
    const seen = new Map<string, string>();
    for (const [pack, ids] of packs) {
      for (const id of ids) {
        expect(templateSources.has(id), `${pack}: ${id}`).toBe(true);
        expect(seen.get(id), `${id} is in ${seen.get(id)} and ${pack}`).toBeUndefined();
        seen.set(id, pack);
      }
    }
    expect(packs.map(([name]) => name)).toContain("every-stack");
  });

  it("are rendered whole or not at all by every example, and every-stack by each", async () => {
    const names = await exampleNames();
    expect(names.length).toBeGreaterThanOrEqual(5);
    for (const name of names) {
      const asked = templatesRendered(JSON.parse(readFileSync(join(EXAMPLES_DIR, name, "nixos-stack.json"), "utf8")));
      expect(splitPacks(asked, packs), name).toEqual([]);
    }
  });

  it("the check fails on a pack that splits (a planted one)", () => {
    const asked = templatesRendered(JSON.parse(readFileSync(join(EXAMPLES_DIR, "vps", "nixos-stack.json"), "utf8")));
    expect(splitPacks(asked, [["planted", ["flake/flake.nix", "deploy/fleet-lib.sh"]]])).toEqual(["planted: 1 of 2 (flake/flake.nix)"]);
    expect(splitPacks(asked, [["every-stack", ["flake/flake.nix", "deploy/fleet-lib.sh"]]])).toEqual(["every-stack: 1 of 2 (flake/flake.nix)"]);
  });
});
