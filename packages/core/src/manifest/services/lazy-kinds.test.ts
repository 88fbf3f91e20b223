/**
 * rules.ts lazyKind: a kind's schema is built when a manifest first has a service of that kind.
 * Read through zod's own record of it (a lazy keeps its built schema in `_zod.def._cachedInner`,
 * zod/v4/core/schemas.js $ZodLazy), on a fresh copy of the modules, so no other test built them first.
 */
import { expect, it, vi } from "vitest";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u me@laptop";
const built = (schema: { _zod: { def: object } }) => "_cachedInner" in schema._zod.def && (schema._zod.def as { _cachedInner?: unknown })._cachedInner !== undefined;

it("validating a VPS with a gateway builds the gateway's schema and no other kind's", async () => {
  vi.resetModules();
  const m = await import("../index.js");
  const s = await import("./index.js");
  // (alerting is part of the monitoring schema, built with it)
  const kinds = { gateway: s.gatewayService(), backup: s.backupService(), monitoring: s.monitoringService(), containers: s.containersService(), nodeApp: s.nodeAppService(), webApp: s.webAppService(), home: s.homeService() };
  expect(Object.values(kinds).filter(built)).toEqual([]);
  const r = m.validateStack({ name: "x", admins: [{ name: "admin", sshKeys: [KEY] }], hosts: [{ name: "vps", services: [{ kind: "gateway" }] }] });
  expect(r.ok).toBe(true);
  expect(Object.entries(kinds).filter(([, s]) => built(s)).map(([k]) => k)).toEqual(["gateway"]);
  // and a kind met later is built then, with its own rules
  const bad = m.validateStack({ name: "x", admins: [{ name: "admin", sshKeys: [KEY] }], hosts: [{ name: "vps", services: [{ kind: "backup", repository: "not a path" }] }] });
  expect(bad.ok).toBe(false);
  expect(built(kinds.backup)).toBe(true);
  expect(built(kinds.containers)).toBe(false);
});
