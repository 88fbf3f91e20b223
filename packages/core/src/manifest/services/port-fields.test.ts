import { expect, it } from "vitest";
import { portsIn, type PortFields } from "./port-fields.js";

it("reads single ports and lists of ports, each with the path that sets it", () => {
  // a service kind with several listeners (a later kind, e.g. a proxy) plugs in by naming its fields
  type Proxy = { kind: "proxy"; name: string; port: number; extraPorts: number[]; metricsPort?: number };
  const fields = ["port", "extraPorts", "metricsPort"] as const satisfies PortFields<Proxy>;
  expect(portsIn({ kind: "proxy", name: "p", port: 8080, extraPorts: [8443, 9000] } as Proxy, fields)).toEqual([
    { path: ["port"], port: 8080 },
    { path: ["extraPorts", 0], port: 8443 },
    { path: ["extraPorts", 1], port: 9000 },
  ]);
});
