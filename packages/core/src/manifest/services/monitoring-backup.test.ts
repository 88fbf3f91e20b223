import { describe, expect, it } from "vitest";
import { DEFAULTS } from "../defaults.js";
import { formatFieldError, validateStack } from "../validate.js";
import { borgRepositoryHost, knownHostNames } from "./backup.js";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u me@laptop";
const monitoring = { kind: "monitoring", domain: "example.com", acmeEmail: "ops@example.com", acmeAcceptTerms: true, alerting: { receiver: "none" } };
const STORAGE_BOX_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u";
const backup = { kind: "backup", repository: "ssh://u1@u1.your-storagebox.de:23/./borg", repositoryHostKey: STORAGE_BOX_KEY };
const stackWith = (services: unknown[], host: Record<string, unknown> = {}) => ({ name: "infra", admins: [{ name: "alice", sshKeys: [KEY] }], hosts: [{ name: "web-1", services, ...host }] });

function errorsOf(input: unknown): string[] {
  const r = validateStack(input);
  if (r.ok) throw new Error("expected the manifest to be rejected");
  return r.errors.map(formatFieldError);
}

describe("the monitoring kind", () => {
  it("fills in upstream's ports, the subdomain, retention and alert thresholds", () => {
    const r = validateStack(stackWith([monitoring]));
    expect(r.ok && r.stack.hosts[0]!.services[0]).toEqual({ ...monitoring, ...DEFAULTS.monitoring, scrapeTargets: [] });
  });

  it("refuses a domain that is no DNS name and a display-name e-mail, naming each field", () => {
    const errors = errorsOf(stackWith([{ ...monitoring, domain: "Example.com/x", acmeEmail: "Ops <ops@example.com>", acmeAcceptTerms: true }]));
    expect(errors.join("\n")).toMatch(/hosts\[0\]\.services\[0\]\.domain: .*lower-case DNS name/);
    expect(errors.join("\n")).toMatch(/hosts\[0\]\.services\[0\]\.acmeEmail: .*plain e-mail address/);
  });

  it.each([
    ["web-app", { kind: "web-app", name: "school", domain: "school.example.org", acmeEmail: "ops@example.org", instances: [{ name: "a1", port: 8081, subdomain: "a" }] }],
    ["monitoring", { kind: "monitoring", domain: "example.com", acmeEmail: "ops@example.com", alerting: { receiver: "none" } }],
    ["containers", { kind: "containers", externalInterface: "ens3", domain: "example.com", acmeEmail: "ops@example.com", containers: [{ role: "app", name: "graph", address: "10.233.1.3", command: "graph-server", port: 8080, subdomain: "graph" }] }],
  ] as Array<[string, Record<string, unknown>]>)("a %s service without the operator's acceptance of the ACME terms is refused, naming the field and the agreement", (_kind, service) => {
    const missing = errorsOf(stackWith([service]));
    expect(missing).toContainEqual(expect.stringMatching(/^hosts\[0\]\.services\[0\]\.acmeAcceptTerms: is required: read Let's Encrypt's Subscriber Agreement \(https:\/\/letsencrypt\.org\/repository\/\) and set it to true/));
    const refused = errorsOf(stackWith([{ ...service, acmeAcceptTerms: false }]));
    expect(refused).toContainEqual(expect.stringMatching(/^hosts\[0\]\.services\[0\]\.acmeAcceptTerms: false — must be true: /));
    expect(validateStack(stackWith([{ ...service, acmeAcceptTerms: true }])).ok).toBe(true);
  });

  it("refuses a second monitoring service on one host (one Prometheus and one Grafana per machine)", () => {
    const errors = errorsOf(stackWith([monitoring, { ...monitoring, name: "monitoring-2", prometheusPort: 9091, grafanaPort: 3001, nodeExporterPort: 9101 }]));
    expect(errors).toContainEqual(expect.stringMatching(/^hosts\[0\]\.services\[1\]\.kind: .*a host runs one monitoring service/));
  });

  it("refuses Grafana on the SSH port, naming both fields", () => {
    const errors = errorsOf(stackWith([{ ...monitoring, grafanaPort: 2222 }]));
    expect(errors).toContainEqual(expect.stringMatching(/^hosts\[0\]\.deploy\.sshPort: 2222 .*is also hosts\[0\]\.services\[0\]\.grafanaPort/));
  });

  it("refuses a scrape target without a port", () => {
    expect(errorsOf(stackWith([{ ...monitoring, scrapeTargets: ["10.0.0.2"] }])).join("\n")).toMatch(/services\[0\]\.scrapeTargets\[0\]: .*host:port/);
  });
});

describe("the backup kind", () => {
  it("keeps a week of dailies, a month of weeklies and half a year of monthlies by default", () => {
    const r = validateStack(stackWith([backup]));
    expect(r.ok && r.stack.hosts[0]!.services[0]).toMatchObject({ schedule: "daily", compression: "auto,zstd", keep: { daily: 7, weekly: 4, monthly: 6 } });
  });

  it("accepts the repository forms borg takes and refuses a shell-breaking one", () => {
    for (const repository of ["borg@backup.example.com:web-1", "ssh://u1@u1.your-storagebox.de:23/./borg"]) {
      expect(validateStack(stackWith([{ ...backup, repository }])).ok).toBe(true);
    }
    expect(validateStack(stackWith([{ kind: "backup", repository: "/mnt/backup/borg" }])).ok).toBe(true);
    expect(errorsOf(stackWith([{ ...backup, repository: "/mnt/$(reboot)" }])).join("\n")).toMatch(/services\[0\]\.repository: .*borg help repo-urls/);
  });

  it("requires the SSH repository's host key (borg's unit cannot store one), checks it, and says how to get it", () => {
    const { repositoryHostKey: _k, ...unpinned } = backup;
    const missing = errorsOf(stackWith([unpinned])).join("\n");
    expect(missing).toMatch(/services\[0\]\.repositoryHostKey: is required for the SSH repository on u1\.your-storagebox\.de/);
    expect(missing).toContain("ssh-keyscan -p 23 -t ed25519 u1.your-storagebox.de");
    expect(errorsOf(stackWith([{ ...backup, repositoryHostKey: "u1.your-storagebox.de ssh-ed25519 AAAA" }])).join("\n")).toMatch(/services\[0\]\.repositoryHostKey: .*ssh-keyscan/);
    expect(errorsOf(stackWith([{ kind: "backup", repository: "/mnt/backup/borg", repositoryHostKey: STORAGE_BOX_KEY }])).join("\n")).toMatch(/repositoryHostKey: .*is for an SSH repository/);
  });

  it("finds the host and port ssh looks the repository up by", () => {
    expect(borgRepositoryHost("ssh://u1@u1.your-storagebox.de:23/./borg")).toEqual({ host: "u1.your-storagebox.de", port: 23 });
    expect(borgRepositoryHost("ssh://borg@backup.example.com/srv/borg")).toEqual({ host: "backup.example.com", port: 22 });
    expect(borgRepositoryHost("borg@backup.example.com:web-1")).toEqual({ host: "backup.example.com", port: 22 });
    expect(borgRepositoryHost("/mnt/backup/borg")).toBeUndefined();
    expect(knownHostNames({ host: "u1.your-storagebox.de", port: 23 })).toEqual(["[u1.your-storagebox.de]:23"]);
    expect(knownHostNames({ host: "backup.example.com", port: 22 })).toEqual(["backup.example.com"]);
  });

  it("refuses a compression borg does not know, and pruning that keeps nothing", () => {
    const errors = errorsOf(stackWith([{ ...backup, compression: "gzip", keep: { daily: 0, weekly: 0, monthly: 0 } }])).join("\n");
    expect(errors).toMatch(/services\[0\]\.compression: .*borg help compression/);
    expect(errors).toMatch(/services\[0\]\.keep: .*keeps no archive at all/);
  });

  it("refuses a relative path to back up", () => {
    expect(errorsOf(stackWith([{ ...backup, paths: ["var/lib/app"] }])).join("\n")).toMatch(/services\[0\]\.paths\[0\]: .*absolute path/);
  });
});

describe("the home-service kind", () => {
  it("needs a command, and refuses a port an unprivileged user cannot bind", () => {
    const errors = errorsOf(stackWith([{ kind: "home-service", name: "bot", user: "bot", command: "", port: 80 }])).join("\n");
    expect(errors).toMatch(/services\[0\]\.command: .*give the command/);
    expect(errors).toMatch(/services\[0\]\.port: .*below 1024/);
  });

  it("refuses a user another service of the host runs as", () => {
    const errors = errorsOf(stackWith([{ kind: "gateway" }, { kind: "home-service", name: "bot", user: "gateway", command: "exec sleep infinity" }]));
    expect(errors).toContainEqual(expect.stringMatching(/^hosts\[0\]\.services\[1\]\.user: .*already the user of services\[0\]/));
  });
});

describe("host tuning", () => {
  it("keeps integers integers and multi-value sysctls strings", () => {
    const r = validateStack(stackWith([], { tuning: { somaxconn: 4096, swappiness: 10, sysctl: { "net.ipv4.ip_local_port_range": "10240 65535", "net.ipv4.tcp_fin_timeout": 15 } } }));
    expect(r.ok && r.stack.hosts[0]!.tuning).toEqual({ somaxconn: 4096, swappiness: 10, sysctl: { "net.ipv4.ip_local_port_range": "10240 65535", "net.ipv4.tcp_fin_timeout": 15 } });
  });

  it("refuses a fractional or out-of-range value", () => {
    const errors = errorsOf(stackWith([], { tuning: { swappiness: 250, somaxconn: 1.5 } })).join("\n");
    expect(errors).toMatch(/tuning\.swappiness: .*use 0–200/);
    expect(errors).toMatch(/tuning\.somaxconn: .*whole number/);
  });

  it("refuses a malformed sysctl key and a named knob set twice, naming the key", () => {
    const errors = errorsOf(stackWith([], { tuning: { swappiness: 10, sysctl: { "net core": 1, "vm.swappiness": 5 } } })).join("\n");
    expect(errors).toMatch(/tuning\.sysctl\["net core"\]: .*is not a sysctl key/);
    expect(errors).toMatch(/tuning\.sysctl\["vm\.swappiness"\]: 5 — is the named field swappiness: set swappiness instead/);
  });
});
