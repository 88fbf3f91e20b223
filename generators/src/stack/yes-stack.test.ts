import fc from "fast-check";
import { expect, it, vi } from "vitest";
import { rules, validateStack } from "@nixos-stack/core";
import { presetStack } from "@nixos-stack/templates";
import type { StackAnswers } from "./answers.js";
import { defaultStackTexts, STAND_IN_NAME } from "./default-stacks.js";
import { defaultAnswers, FIXED_DEFAULT_ANSWERS } from "./defaults.js";
import { yesStack } from "./yes-stack.js";

const ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u me@laptop";
const ECDSA = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBFYfJMTtVUe/vsvNnsM/MREBvwmXv9bkyHUgeqgS36Yxf5uSOunglFUOlAUAXlGXT5Ow3bj38nS2qnfa3uHPEPM= me@desktop";
/** lines the key rule refuses: truncated, another key's blob, no blob, a private key's first line */
const REFUSED_KEYS = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 short", "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u x", "ssh-ed25519", "-----BEGIN OPENSSH PRIVATE KEY-----", ""];
const answersFor = (preset: StackAnswers["preset"], name: string, sshKeys: string[]): StackAnswers => ({ ...defaultAnswers(`/tmp/${name}`, "/nonexistent"), preset, name, sshKeys });

it("gives what validateStack gives, for both presets, on random names and keys; it answers exactly when both rules take them", () => {
  const names = fc.oneof(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,62}$/), fc.string({ maxLength: 70 }), fc.constantFrom("", "-infra", "a".repeat(64), "My-Infra", "infra\n", STAND_IN_NAME));
  const keys = fc.array(fc.constantFrom(ED25519, ECDSA, ...REFUSED_KEYS), { maxLength: 3 });
  fc.assert(
    fc.property(fc.constantFrom("vps" as const, "fleet" as const), names, keys, (preset, name, sshKeys) => {
      const answers = answersFor(preset, name, sshKeys);
      const full = validateStack(presetStack(preset, answers));
      const taken = rules.projectName().safeParse(name).success && sshKeys.every((key) => rules.sshPublicKey().safeParse(key).success);
      // nothing else in these answers varies: the whole schema takes them exactly when the two rules do
      expect(full.ok).toBe(taken);
      const fast = yesStack(answers);
      expect(fast !== undefined).toBe(taken);
      if (fast !== undefined && full.ok) expect(fast).toStrictEqual(full.stack);
    }),
    { numRuns: 400 },
  );
});

it("takes only the default answers: any other answer, even one the schema would default the same way, goes the whole way", () => {
  const base = answersFor("vps", "my-infra", [ED25519]);
  expect(yesStack(base)).toBeDefined();
  for (const key of Object.keys(FIXED_DEFAULT_ANSWERS) as (keyof typeof FIXED_DEFAULT_ANSWERS)[]) {
    const changed = { ...base, [key]: typeof base[key] === "boolean" ? !base[key] : `${String(base[key])}x` };
    expect(yesStack(changed), key).toBeUndefined();
    const { [key]: _left, ...missing } = base;
    expect(yesStack(missing as StackAnswers), `${key} left out`).toBeUndefined();
  }
  expect(yesStack({ ...base, sshPort: 2222 })).toBeUndefined(); // the VPS preset's port, but answered
  expect(yesStack({ ...base, address: undefined })).toBeUndefined();
  expect(yesStack({ ...base, sshKeys: "not a list" as unknown as string[] })).toBeUndefined();
});

it("gives a new manifest each time (a caller's change to one never reaches the next)", () => {
  const first = yesStack(answersFor("vps", "one", [ED25519]))!;
  first.admins[0]!.sshKeys.push(ECDSA);
  first.hosts[0]!.name = "changed";
  const second = yesStack(answersFor("vps", "two", []))!;
  expect(second.admins[0]!.sshKeys).toEqual([]);
  expect(second.hosts[0]!.name).toBe("vps-x86");
  expect(second.name).toBe("two");
});

it("with the texts inlined, as build.mjs inlines them into the bin, a --yes run makes no zod call: no schema is built, not even a rule's", async () => {
  const texts = defaultStackTexts(); // validated here, once, as the build does
  vi.resetModules();
  vi.doMock("./default-stacks.js", () => ({ defaultStackTexts: () => texts, STAND_IN_NAME }));
  /** every zod/mini function the modules call, by name (z.config aside: schema.ts sets the English messages when it loads) */
  const calls: string[] = [];
  vi.doMock("zod/mini", async (importOriginal) => {
    const real = await importOriginal<Record<string, unknown>>();
    const counted = Object.entries(real).map(([name, value]) => [name, typeof value === "function" && name !== "config" && !/^[A-Z]/.test(name) ? (...args: unknown[]) => (calls.push(name), (value as (...a: unknown[]) => unknown)(...args)) : value]);
    return Object.fromEntries(counted);
  });
  try {
    const { answersToStack } = await import("./to-stack.js");
    const { defaultAnswers: fresh } = await import("./defaults.js");
    expect(calls).toEqual([]); // loading the modules built nothing
    for (const preset of ["vps", "fleet"] as const) expect(answersToStack({ ...fresh("/tmp/my-infra", "/nonexistent"), preset }).name).toBe("my-infra");
    expect(answersToStack({ ...fresh("/tmp/my-infra", "/nonexistent"), sshKeys: [ED25519] }).admins[0]!.sshKeys).toEqual([ED25519]);
    expect(calls).toEqual([]);
    // the probe itself: an answer off the defaults validates the whole manifest, which builds the schema through zod/mini
    expect(answersToStack({ ...fresh("/tmp/my-infra", "/nonexistent"), admin: "alice" }).admins[0]!.name).toBe("alice");
    expect(calls).toContain("strictObject");
    expect(calls).toContain("string");
  } finally {
    vi.doUnmock("./default-stacks.js");
    vi.doUnmock("zod/mini");
    vi.resetModules();
  }
});
