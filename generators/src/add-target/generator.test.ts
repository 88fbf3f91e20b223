/** add-target and remove-target driven through node-plop, as a generated repo's plopfile runs them. */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nodePlop from "node-plop";
import { GENERATORS_RANGE, PLOP_RANGE } from "@nixos-stack/templates";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { registerRepoGenerators } from "../repo-generators.js";
import { snapshot, writeRepo } from "../test-support/repo.js";
import { targetQuestions } from "./questions.js";

let parent: string;
let dir: string;
beforeEach(async () => {
  parent = await mkdtemp(join(tmpdir(), "nixos-stack-plop-edit-"));
  dir = join(parent, "repo");
  await writeRepo(dir);
});
afterEach(() => rm(parent, { recursive: true, force: true }));

async function repoPlop() {
  const plop = await nodePlop(undefined, { destBasePath: dir, force: false });
  await registerRepoGenerators(plop);
  return plop;
}

describe("repo generators (node-plop)", () => {
  it("registers add-target, remove-target, add-service (and one per kind), remove-service and the edit action, in the plop destination", async () => {
    const plop = await repoPlop();
    expect(plop.getGeneratorList().map((g) => g.name)).toEqual(["add-target", "remove-target", "add-service", "add-service-gateway", "add-service-monitoring", "add-service-backup", "add-service-home-service", "add-service-node-app", "add-service-web-app", "remove-service"]);
    expect(plop.getActionTypeList()).toContain("nixos-stack:edit");
  });

  it("answers given up front (plop's bypass) skip their prompts, and the action adds the host", async () => {
    const gen = (await repoPlop()).getGenerator("add-target");
    const answers = await gen.runPrompts(["lab", "aarch64-linux", "203.0.113.20", "vps", ""]);
    expect(answers).toMatchObject({ name: "lab", system: "aarch64-linux", address: "203.0.113.20", profile: "vps" });
    const result = await gen.runActions(answers);
    expect(result.failures).toEqual([]);
    expect(JSON.parse(await readFile(join(dir, "nixos-stack.json"), "utf8")).hosts[2]).toMatchObject({ name: "lab", system: "aarch64-linux", deploy: { address: "203.0.113.20" } });
    expect(await readFile(join(dir, "flake.nix"), "utf8")).toMatch(/ lab = \{\s*system = "aarch64-linux";/);
  });

  it("a bypassed name that breaks the hostName rule or is taken fails before anything runs", async () => {
    const gen = (await repoPlop()).getGenerator("add-target");
    await expect(gen.runPrompts(["Lab_1"])).rejects.toThrow(`name "Lab_1" — use lowercase letters`);
    await expect(gen.runPrompts(["vps-x86"])).rejects.toThrow(`name "vps-x86" — is already the name of hosts[0]`);
  });

  it("an action whose manifest would be invalid fails with the field, and writes nothing", async () => {
    const gen = (await repoPlop()).getGenerator("add-target");
    const before = await snapshot(dir);
    const result = await gen.runActions({ name: "lab", address: "203.0.113.10", system: "x86_64-linux", profile: "vps", tags: [] });
    expect(result.failures).toHaveLength(1);
    expect(String(result.failures[0]!.error)).toContain(`hosts[2].deploy.address: "203.0.113.10" — is also hosts[0].deploy.address`);
    expect(await snapshot(dir)).toEqual(before);
  });

  it("remove-target offers the repo's hosts and removes the chosen one", async () => {
    const gen = (await repoPlop()).getGenerator("remove-target");
    expect((gen.prompts as unknown as { choices: string[] }[])[0]!.choices).toEqual(["vps-x86", "vps-arm"]);
    const result = await gen.runActions(await gen.runPrompts(["vps-arm"]));
    expect(result.failures).toEqual([]);
    expect(await readFile(join(dir, "flake.nix"), "utf8")).not.toContain("vps-arm");
  });

  it("questions default to the repo's conventions", async () => {
    const qs = targetQuestions(async () => (await import("../manifest-edit/document.js")).readManifest(dir).then((d) => d.stack));
    const byName = Object.fromEntries(qs.map((q) => [q.name, q]));
    expect(await byName.system!.default()).toBe("x86_64-linux");
    expect(await byName.profile!.default()).toBe("vps");
    expect(await byName.address!.validate!("bad host!")).toMatch(/IPv4\/IPv6/);
    expect(await byName.address!.validate!("")).toBe(true);
    expect(byName.tags!.filter!("web, db  lab")).toEqual(["web", "db", "lab"]);
  });

  it("generated repos ask for the versions this workspace builds", async () => {
    const own = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8"));
    expect(GENERATORS_RANGE).toBe(`^${own.version}`);
    expect(PLOP_RANGE).toBe(own.devDependencies.plop);
  });
});
