import { readFileSync } from "node:fs";
import { parseStackJson, type Stack } from "@nixos-stack/core";
import { describe, expect, it } from "vitest";
import { EXAMPLE_MANIFEST } from "../test-support/repo.js";
import { addTargetEdit, newHostEntry } from "./to-edit.js";
import { targetDefaults } from "./defaults.js";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u me@laptop";
const docOf = (text: string) => {
  const r = parseStackJson(text);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return { dir: "/repo", text, stack: r.stack };
};

describe("add-target's manifest edit", () => {
  it("keeps a hand-written manifest as it is (its key order, its left-out defaults) and appends one host", () => {
    // hosts before admins, no defaults spelled out, three-space indent, no final newline
    const text = `{\n   "hosts": [\n      { "name": "web", "deploy": { "sshPort": 2201 } }\n   ],\n   "admins": [ { "name": "ops", "sshKeys": [ "${KEY}" ] } ],\n   "name": "mine"\n}`;
    const after = addTargetEdit({ name: "lab", tags: ["edge"] }).apply(docOf(text));
    expect(after.startsWith(`{\n   "hosts": [\n      { "name": "web", "deploy": { "sshPort": 2201 } },\n      {\n         "name": "lab",`)).toBe(true);
    expect(after.endsWith(`   ],\n   "admins": [ { "name": "ops", "sshKeys": [ "${KEY}" ] } ],\n   "name": "mine"\n}`)).toBe(true);
    expect(Object.keys(JSON.parse(after))).toEqual(["hosts", "admins", "name"]);
    expect(JSON.parse(after).hosts[1]).toEqual({ name: "lab", system: "x86_64-linux", profile: "vps", tags: ["edge"], deploy: { sshPort: 2201 }, disk: { device: "/dev/sda" }, services: [] });
  });

  it("flags win over the repo's defaults", () => {
    const defaults = targetDefaults(docOf(readFileSync(EXAMPLE_MANIFEST, "utf8")).stack);
    expect(newHostEntry({ name: "x", system: "aarch64-linux", profile: "vps", sshPort: 22, disk: "/dev/vda", address: "x.example.org" }, defaults)).toEqual({
      name: "x",
      system: "aarch64-linux",
      profile: "vps",
      deploy: { address: "x.example.org", sshPort: 22 },
      disk: { device: "/dev/vda" },
      services: [],
    });
  });

  it("copies the first host's deploy user once the manifest has one, and defaults a fleet's new machine to a server", () => {
    const stack = docOf(readFileSync(EXAMPLE_MANIFEST, "utf8")).stack;
    const fleet = { ...stack, hosts: [{ ...stack.hosts[0]!, profile: "workstation", deploy: { ...stack.hosts[0]!.deploy, user: "alice" } }] } as unknown as Stack;
    expect(targetDefaults(fleet)).toMatchObject({ profile: "server", user: "alice" });
    expect(newHostEntry({ name: "lab" }, targetDefaults(fleet)).deploy).toEqual({ sshPort: 2222, user: "alice" });
  });
});
