/** The `stack` generator driven through node-plop itself, as `plop` or `npm create` runs it. */
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { presets, presetStack, type PresetName } from "@nixos-stack/templates";
import nodePlop from "node-plop";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import nixosStack from "../index.js";
import { defaultAnswers } from "./defaults.js";
import { stackQuestions } from "./questions.js";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u me@laptop";
let parent: string;
beforeEach(async () => {
  parent = await mkdtemp(join(tmpdir(), "nixos-stack-plop-"));
});
afterEach(() => rm(parent, { recursive: true, force: true }));

async function generator(dir: string) {
  const plop = await nodePlop(undefined, { destBasePath: dir, force: false });
  const defaults = defaultAnswers(dir, parent);
  nixosStack(plop, { known: {}, defaults, dir });
  return { gen: plop.getGenerator("stack"), defaults };
}

describe("stack generator (node-plop)", () => {
  it("registers the generator and the pipeline action", async () => {
    const plop = await nodePlop(undefined, { destBasePath: parent, force: false });
    nixosStack(plop, { known: {}, defaults: defaultAnswers(parent, parent), dir: parent });
    expect(plop.getGeneratorList().map((g) => g.name)).toEqual(["stack"]);
    expect(plop.getActionTypeList()).toContain("nixos-stack:write");
  });

  it("runActions writes the repo through the pipeline", async () => {
    const dir = join(parent, "infra");
    const { gen, defaults } = await generator(dir);
    const result = await gen.runActions({ ...defaults, sshKeys: [KEY] });
    expect(result.failures).toEqual([]);
    expect(await readFile(join(dir, "hosts/vps-x86/default.nix"), "utf8")).toContain(KEY);
  });

  it("reports a failure, writing nothing, when the answers are invalid", async () => {
    const dir = join(parent, "bad");
    const { gen, defaults } = await generator(dir);
    const result = await gen.runActions({ ...defaults, admin: "Root" });
    expect(result.failures).toHaveLength(1);
    expect(String(result.failures[0]!.error)).toContain(`admins[0].name: "Root"`);
    expect(await readdir(parent)).toEqual([]);
  });

  it("refuses a non-empty directory instead of writing into it", async () => {
    const dir = join(parent, "taken");
    await mkdir(dir);
    await writeFile(join(dir, "notes.txt"), "mine\n");
    const { gen, defaults } = await generator(dir);
    const result = await gen.runActions(defaults);
    expect(result.failures).toHaveLength(1);
    expect(String(result.failures[0]!.error)).toContain("is not empty");
    expect(await readdir(dir)).toEqual(["notes.txt"]);
  });

  it("names a target that is a file as a file, and leaves it alone", async () => {
    const file = join(parent, "notes");
    await writeFile(file, "mine\n");
    const { gen, defaults } = await generator(file);
    const result = await gen.runActions(defaults);
    expect(result.failures).toHaveLength(1);
    expect(String(result.failures[0]!.error)).toContain(`${file} is a file`);
    expect(await readFile(file, "utf8")).toBe("mine\n");
  });

  it("every question validates with the manifest's rules", () => {
    const byName = Object.fromEntries(stackQuestions.map((q) => [q.name, q]));
    expect(byName.admin!.validate!("Bad User")).toMatch(/Linux user name rule/);
    expect(byName.admin!.validate!("alice")).toBe(true);
    expect(byName.sshPort!.validate!(70000)).toMatch(/not a port/);
    expect(byName.sshKeys!.validate!("ssh-ed25519 AAAA")).toMatch(/too short/);
    expect(byName.sshKeys!.validate!("")).toBe(true);
    expect(byName.sshKeys!.parse!(`  ${KEY}  `)).toEqual([KEY]);
    expect(byName.timeZone!.validate!("Mars/Olympus Mons")).toMatch(/tz database/);
  });

  it("each preset's choice names every configuration its repo carries (the VPS: one per architecture)", () => {
    const choices = stackQuestions.find((q) => q.name === "preset")!.choices!;
    for (const preset of Object.keys(presets) as PresetName[]) {
      const choice = choices.find((c) => c.value === preset)!.name;
      const hosts = presetStack(preset, { name: "x" }).hosts.map((h) => h.name);
      expect(hosts.length).toBeGreaterThan(0);
      for (const host of hosts) expect(choice, `${preset} carries ${host}`).toContain(host);
    }
  });
});
