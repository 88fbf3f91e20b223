import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { DEFAULTS, NIXPKGS_RELEASES } from "@nixos-stack/core";
import { defaultAnswers } from "./defaults.js";
import { stackQuestions } from "./questions.js";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u me@laptop";
const KEY2 = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBFYfJMTtVUe/vsvNnsM/MREBvwmXv9bkyHUgeqgS36Yxf5uSOunglFUOlAUAXlGXT5Ow3bj38nS2qnfa3uHPEPM= me@desktop";
const home = mkdtempSync(join(tmpdir(), "nixos-stack-home-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

it("takes every default answer from DEFAULTS", () => {
  expect(defaultAnswers("/tmp/My Infra", home)).toEqual({
    preset: "vps",
    name: "my-infra",
    admin: DEFAULTS.adminName,
    sshKeys: [],
    timeZone: DEFAULTS.timeZone,
    locale: DEFAULTS.locale,
    nixpkgsBranch: DEFAULTS.nixpkgsBranch,
    gateway: true,
  });
});

it("uses every key of the operator's own .pub file, CRLF or not", () => {
  mkdirSync(join(home, ".ssh"));
  writeFileSync(join(home, ".ssh/id_ed25519.pub"), `${KEY}\r\n${KEY2}\r\n`);
  expect(defaultAnswers("/tmp/x", home).sshKeys).toEqual([KEY, KEY2]);
});

it("offers exactly the supported nixpkgs branches", () => {
  const question = stackQuestions.find((q) => q.name === "nixpkgsBranch")!;
  expect(question.choices!.map((c) => c.value)).toEqual(NIXPKGS_RELEASES.map((r) => r.branch));
});
