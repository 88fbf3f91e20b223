import { describe, expect, it } from "vitest";
import { formatFieldError, validateStack } from "../index.js";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u me@laptop";

function errors(app: Record<string, unknown>): string[] {
  const r = validateStack({
    name: "t",
    admins: [{ name: "admin", sshKeys: [KEY] }],
    hosts: [{ name: "web", services: [{ kind: "web-app", name: "school", domain: "school.example.org", acmeEmail: "ops@example.org", acmeAcceptTerms: true, ...app }] }],
  });
  return r.ok ? [] : r.errors.map(formatFieldError);
}

describe("the web-app schema", () => {
  it("accepts the seed's four instances", () => {
    expect(errors({ instances: ["9a", "9b", "9c", "9d"].map((s, i) => ({ name: `class-${s}`, port: 8081 + i, subdomain: s })) })).toEqual([]);
  });

  it("refuses two instances with one subdomain or one user/database, naming both", () => {
    expect(errors({ instances: [{ name: "a1", port: 8081, subdomain: "x" }, { name: "b1", port: 8082, subdomain: "x" }] })).toEqual([
      `hosts[0].services[0].instances[1].subdomain: "x" — is also instances[0]'s subdomain (a1); give b1 its own`,
    ]);
    expect(errors({ instances: [{ name: "a1", port: 8081, subdomain: "a", user: "shared" }, { name: "b1", port: 8082, subdomain: "b", user: "shared" }] })[0]).toContain("is also instances[0]'s user and database (a1)");
  });

  it("refuses a port taken by another instance (the host-wide check), a privileged port, and no instances", () => {
    expect(errors({ instances: [{ name: "a1", port: 8081, subdomain: "a" }, { name: "b1", port: 8081, subdomain: "b" }] })[0]).toContain("is also hosts[0].services[0].instances[0].port");
    expect(errors({ instances: [{ name: "a1", port: 80, subdomain: "a" }] })[0]).toContain("use 1024–65535");
    expect(errors({ instances: [] })[0]).toContain("list at least one instance");
  });

  it("refuses a made-up user longer than Linux allows, and secret-looking environment names", () => {
    expect(errors({ name: "a-very-long-school-name", instances: [{ name: "class-number-nine", port: 8081, subdomain: "a" }] })[0]).toContain('makes the user "a-very-long-school-name-class-number-nine", longer than Linux allows (31 characters)');
    expect(errors({ instances: [{ name: "a1", port: 8081, subdomain: "a", environment: { API_TOKEN: "x" } }] })[0]).toContain("looks like a secret");
  });

  it("jit: true by default (the Node placeholder), a boolean with the runtimes named when it is not", () => {
    const r = validateStack({
      name: "t",
      admins: [{ name: "admin", sshKeys: [KEY] }],
      hosts: [{ name: "web", services: [{ kind: "web-app", name: "school", domain: "school.example.org", acmeEmail: "ops@example.org", acmeAcceptTerms: true, instances: [{ name: "a1", port: 8081, subdomain: "a" }] }] }],
    });
    expect(r.ok && r.stack.hosts[0]!.services[0]).toMatchObject({ kind: "web-app", jit: true });
    expect(errors({ jit: false, instances: [{ name: "a1", port: 8081, subdomain: "a" }] })).toEqual([]);
    expect(errors({ jit: "node", instances: [{ name: "a1", port: 8081, subdomain: "a" }] })).toEqual([
      `hosts[0].services[0].jit: "node" — use true when the backend runs on a JIT runtime (Node.js, as the placeholder does; Deno, Bun, the JVM, .NET), false for a compiled program (Go, Rust, C)`,
    ]);
  });
});
