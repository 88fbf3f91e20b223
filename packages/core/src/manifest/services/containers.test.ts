import { describe, expect, it } from "vitest";
import { formatFieldError, validateStack } from "../validate.js";
import { hostAddressOf } from "./containers.js";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u me@laptop";
const data = { role: "data", name: "data", address: "10.233.1.2", redis: {}, postgresql: { databases: ["graph"] } };
const app = { role: "app", name: "graph", address: "10.233.1.3", command: "graph-server", port: 8080, subdomain: "graph" };
const containers = (list: unknown[], extra: Record<string, unknown> = {}) => ({ kind: "containers", externalInterface: "ens3", domain: "example.com", acmeEmail: "ops@example.com", acmeAcceptTerms: true, containers: list, ...extra });
const stackWith = (services: unknown[]) => ({ name: "infra", admins: [{ name: "alice", sshKeys: [KEY] }], hosts: [{ name: "leaf-1", services }] });

function errorsOf(input: unknown): string {
  const r = validateStack(input);
  if (r.ok) throw new Error("expected the manifest to be rejected");
  return r.errors.map(formatFieldError).join("\n");
}

describe("the containers kind", () => {
  it("fills in the subnet, autoStart, Redis' explicit port and the host's address", () => {
    const r = validateStack(stackWith([containers([data, app])]));
    if (!r.ok) throw new Error(r.errors.map(formatFieldError).join("\n"));
    const service = r.stack.hosts[0]!.services[0]!;
    if (service.kind !== "containers") throw new Error("not a containers service");
    expect(service.subnet).toBe("10.233.1.0/24");
    expect(hostAddressOf(service)).toBe("10.233.1.1");
    const [d] = service.containers;
    expect(d).toMatchObject({ autoStart: true, redis: { port: 6379 }, postgresql: { port: 5432, databases: ["graph"], settings: {} } });
  });

  it("refuses postgresql.conf keys NixOS' module or the kind already sets (a second definition would not evaluate)", () => {
    for (const key of ["hba_file", "ident_file", "log_destination", "listen_addresses", "port"]) {
      const errors = errorsOf(stackWith([containers([{ ...data, postgresql: { databases: ["graph"], settings: { [key]: "x" } } }])]));
      expect(errors).toMatch(new RegExp(`containers\\[0\\]\\.postgresql\\.settings.*${key} is set for you`));
    }
    expect(validateStack(stackWith([containers([{ ...data, postgresql: { settings: { shared_buffers: "1GB", constructor: "x" } } }])])).ok).toBe(true);
  });

  it("takes a data container's clients among the service's app containers, naming a wrong one's field", () => {
    expect(validateStack(stackWith([containers([{ ...data, clients: ["graph"] }, app])])).ok).toBe(true);
    const errors = errorsOf(stackWith([containers([{ ...data, clients: ["graph", "data", "nobody", "graph"] }, app])]));
    expect(errors).toMatch(/containers\[0\]\.clients\[1\]: .*is not an app container of this service \(its app containers: graph\)/);
    expect(errors).toMatch(/containers\[0\]\.clients\[2\]: .*is not an app container/);
    expect(errors).toMatch(/containers\[0\]\.clients\[3\]: .*is listed twice/);
  });

  it("refuses a Redis port of 0 (a named Redis server without TCP)", () => {
    expect(errorsOf(stackWith([containers([{ ...data, redis: { port: 0 } }])]))).toMatch(/services\[0\]\.containers\[0\]\.redis\.port: .*not a port/);
  });

  it("refuses two containers with one name, naming the second's field", () => {
    expect(errorsOf(stackWith([containers([data, { ...app, name: "data" }])]))).toMatch(/hosts\[0\]\.services\[0\]\.containers\[1\]\.name: .*already the name of containers\[0\]/);
  });

  it("refuses two containers with one address, and a container on the host's address", () => {
    const errors = errorsOf(stackWith([containers([data, { ...app, address: "10.233.1.2" }, { ...app, name: "agent", subdomain: "agent", address: "10.233.1.1" }])]));
    expect(errors).toMatch(/containers\[1\]\.address: .*already the address of containers\[0\]/);
    expect(errors).toMatch(/containers\[2\]\.address: .*already the host's address \(hostAddress\)/);
  });

  it("refuses an address outside the subnet, and the subnet's network and broadcast addresses", () => {
    const errors = errorsOf(stackWith([containers([{ ...data, address: "10.233.2.2" }, { ...app, address: "10.233.1.255" }])]));
    expect(errors).toMatch(/containers\[0\]\.address: .*outside subnet 10\.233\.1\.0\/24 \(10\.233\.1\.1–10\.233\.1\.254\)/);
    expect(errors).toMatch(/containers\[1\]\.address: .*outside subnet/);
  });

  it("refuses names nixos-containers cannot take: '_', more than 11 characters, upper case", () => {
    for (const name of ["bad_name", "twelve-chars", "Data"]) {
      expect(errorsOf(stackWith([containers([{ ...data, name }])]))).toMatch(/containers\[0\]\.name: .*1–11 characters/);
    }
  });

  it("refuses a subnet that is not a network address or too large", () => {
    expect(errorsOf(stackWith([containers([data], { subnet: "10.233.1.7/24" })]))).toMatch(/subnet: .*write the network address: 10\.233\.1\.0\/24/);
    expect(errorsOf(stackWith([containers([data], { subnet: "10.0.0.0/8" })]))).toMatch(/subnet: .*\/16 to \/29/);
  });

  it("refuses a public subdomain without a port, a subdomain used twice, and a data container running nothing", () => {
    const errors = errorsOf(stackWith([containers([{ role: "data", name: "data", address: "10.233.1.2" }, { ...app, port: undefined }, { ...app, name: "agent", address: "10.233.1.4" }])]));
    expect(errors).toMatch(/containers\[0\]\.role: .*runs nothing/);
    expect(errors).toMatch(/containers\[1\]\.port: .*needed to serve the container at its subdomain/);
    expect(errors).toMatch(/containers\[2\]\.subdomain: .*already the subdomain of containers\[1\]/);
  });
});

describe("the containers kind beside other services", () => {
  it("refuses a second containers service on a host, and a monitoring container beside the host's monitoring service", () => {
    const monitoringContainer = { role: "monitoring", name: "monitoring", address: "10.233.1.9", alerting: { receiver: "none" } };
    const errors = errorsOf(stackWith([containers([data, monitoringContainer]), { kind: "monitoring", domain: "example.com", acmeEmail: "ops@example.com", acmeAcceptTerms: true, alerting: { receiver: "none" } }, containers([data], { name: "more" })]));
    expect(errors).toMatch(/services\[0\]\.containers\[1\]\.role: .*already runs a monitoring service/);
    expect(errors).toMatch(/services\[2\]\.kind: .*a host runs one containers service/);
  });
});
