/**
 * rules.ts lazyField: hosts[].tuning's schema is built when a manifest first has a host with
 * tuning. Read through zod's own record of it (a lazy keeps its built schema in
 * `_zod.def._cachedInner`, zod/v4/core/schemas.js $ZodLazy), on a fresh copy of the modules.
 */
import { expect, it, vi } from "vitest";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u me@laptop";
const built = (schema: { _zod: { def: object } }) => (schema._zod.def as { _cachedInner?: unknown })._cachedInner !== undefined;
const stack = (host: object) => ({ name: "x", admins: [{ name: "admin", sshKeys: [KEY] }], hosts: [{ name: "vps", ...host }] });

it("a manifest without tuning never builds the tuning schema; the first host with tuning builds it, with its rules", async () => {
  vi.resetModules();
  const m = await import("./index.js");
  const { tuningSchema } = await import("./tuning.js");
  expect(built(tuningSchema())).toBe(false);
  const plain = m.validateStack(stack({}));
  expect(plain.ok).toBe(true);
  if (plain.ok) expect(plain.stack.hosts[0]).not.toHaveProperty("tuning");
  expect(built(tuningSchema())).toBe(false);

  const tuned = m.validateStack(stack({ tuning: { swappiness: 10 } }));
  expect(built(tuningSchema())).toBe(true);
  expect(tuned.ok && tuned.stack.hosts[0]!.tuning).toEqual({ swappiness: 10, sysctl: {} }); // the default filled in, as before
  const bad = m.validateStack(stack({ tuning: { swappiness: 500, extra: 1 } }));
  expect(bad.ok).toBe(false);
  if (!bad.ok) expect(bad.errors.map((e) => e.path).sort()).toEqual(["hosts[0].tuning", "hosts[0].tuning.swappiness"]);
});

it("tuning: null is still refused as not an object (the lazy answers for the optional only when the field is absent)", async () => {
  const m = await import("./index.js");
  const r = m.validateStack(stack({ tuning: null }));
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.errors.map((e) => e.path)).toEqual(["hosts[0].tuning"]);
});
