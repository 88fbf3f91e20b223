import { expect, it } from "vitest";
import { DEFAULTS, validateStack } from "@nixos-stack/core";
import { vpsPreset } from "./vps.js";

it("leaves every answer not given to the schema's defaults (one source), which fill them in", () => {
  const input = vpsPreset({ name: "x" });
  expect(input.hosts[0]).toEqual({ name: "vps-x86", system: "x86_64-linux", profile: "vps", deploy: {}, disk: {}, services: [{ kind: "gateway" }] });
  const r = validateStack(input);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  expect(r.stack.admins[0]!.name).toBe(DEFAULTS.adminName);
  expect(r.stack.hosts[1]).toMatchObject({ deploy: { sshPort: DEFAULTS.sshPort }, disk: { device: DEFAULTS.diskDevice }, services: [{ kind: "gateway", ...DEFAULTS.gateway }] });
});

it("passes the answers it is given", () => {
  const input = vpsPreset({ name: "x", sshPort: 2200, disk: "/dev/vda", address: "203.0.113.7", gateway: false });
  expect(input.hosts[1]).toMatchObject({ deploy: { address: "203.0.113.7", sshPort: 2200 }, disk: { device: "/dev/vda" }, services: [] });
});
