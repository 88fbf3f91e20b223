import type { Stack } from "@nixos-stack/core";
import { describe, expect, it } from "vitest";
import { renderStack } from "../index.js";
import { validStack, vpsStack } from "../test-support/render-to-disk.js";
import { healthChecks } from "./containers.js";
import { hostScrapeTargets, hostStatefulPaths } from "../kinds/registry.js";

const CONTAINERS = {
  kind: "containers",
  subnet: "10.233.7.0/24",
  externalInterface: "ens3",
  domain: "example.com",
  acmeEmail: "ops@example.com",
  acmeAcceptTerms: true,
  containers: [
    { role: "data", name: "data", address: "10.233.7.2", redis: { port: 6380 }, nats: {} },
    { role: "app", name: "graph", address: "10.233.7.3", command: "graph-server", port: 8080, subdomain: "graph" },
  ],
};
const BACKUP = { kind: "backup", repository: "/mnt/backup/borg" };

function stack(backend: "agenix" | "env-file" = "agenix"): Stack {
  const base = vpsStack();
  const hosts = base.hosts.map((h, i) => (i === 0 ? { ...h, services: [...h.services, CONTAINERS, BACKUP] } : h));
  return validStack({ ...base, secrets: { backend }, hosts } as never);
}
const file = (s: Stack, path: string) => {
  const f = renderStack(s).get(path);
  if (!f) throw new Error(`${path} was not rendered`);
  return f.content;
};

describe("the containers kind's contract with the backup and monitoring kinds", () => {
  it("lists each container's state directory as a stateful path, so the host's borg job archives it", () => {
    const s = stack();
    expect(hostStatefulPaths(s, s.hosts[0]!)).toEqual(expect.arrayContaining(["/var/lib/nixos-containers/data", "/var/lib/nixos-containers/graph"]));
    expect(file(s, `hosts/${s.hosts[0]!.name}/default.nix`)).toContain('"/var/lib/nixos-containers/graph"');
  });

  it("adds no scrape target to the host's Prometheus: its own exporter is 127.0.0.1's, the containers are job container (container-metrics.nix)", () => {
    const s = stack();
    // before: the host's exporter again at its veth address, and each container's, as machines (job node)
    expect(hostScrapeTargets(s, s.hosts[0]!)).toEqual([]);
  });
});

describe("the health check's units of a data container", () => {
  it("lists the exporters' units when something scrapes the containers, and the role passwords' oneshot", () => {
    const base = vpsStack();
    const data = { role: "data", name: "data", address: "10.233.7.2", redis: {}, nats: {}, postgresql: { databases: ["graph"] } };
    const withScraper = { ...CONTAINERS, containers: [data, { role: "monitoring", name: "mon", address: "10.233.7.9", alerting: { receiver: "none" } }] };
    const scraped = validStack({ ...base, hosts: base.hosts.map((h, i) => (i === 0 ? { ...h, services: [...h.services, withScraper] } : h)) } as never);
    const units = (s: Stack) => healthChecks(s, s.hosts[0]!).filter((c) => c[0] === "check_unit" && c[1] === "data").map((c) => c[2]);
    expect(units(scraped)).toEqual([
      "postgresql.service",
      "postgresql-passwords.service",
      "redis-data.service",
      "nats.service",
      "prometheus-postgres-exporter.service",
      "prometheus-redis-exporter.service",
      "prometheus-nats-exporter.service",
      "prometheus-node-exporter.service",
    ]);
    expect(healthChecks(scraped, scraped.hosts[0]!)).toContainEqual(["check_pg_roles", "data", "5432"]);
    // nothing scrapes them: no exporters run
    const alone = validStack({ ...base, hosts: base.hosts.map((h, i) => (i === 0 ? { ...h, services: [...h.services, { ...CONTAINERS, containers: [data] }] } : h)) } as never);
    expect(units(alone).filter((u) => u!.startsWith("prometheus-"))).toEqual(["prometheus-node-exporter.service"]);
  });
});

describe("docs/services/containers.md", () => {
  it("draws the host and every container with its address and ports, and links the backup procedure", () => {
    const doc = file(stack(), "docs/services/containers.md");
    expect(doc).toContain("```mermaid");
    expect(doc).toMatch(/data \(data\)<br\/>10\.233\.7\.2<br\/>ports 4222, 6380, 9100/);
    expect(doc).toContain("| graph | app | 10.233.7.3 | graph.service, prometheus-node-exporter.service | 8080, 9100 | https://graph.example.com/ |");
    expect(doc).toContain("[backup.md](backup.md)");
    expect(doc).toContain("journalctl -M <name> -u <unit>");
  });

  it("says plainly that an app container's app is deployed outside Nix, where its releases go and how it rolls back", () => {
    const doc = file(stack(), "docs/services/containers.md");
    expect(doc).toContain("**the app itself is deployed outside Nix**");
    // the host's view of the app container's StateDirectory (DynamicUser: /var/lib/private/<name>)
    expect(doc).toContain("- graph on vps-x86: releases in `/var/lib/nixos-containers/graph/var/lib/private/graph/releases/`");
    // no such line for the data container, which runs no app
    expect(doc).not.toContain("/var/lib/nixos-containers/data/var/lib/private/data");
    // the backup text names the dumps it takes, not "copied as files"
    expect(doc).toContain("postgresqlBackup.service");
    expect(doc).not.toContain("Databases are copied as files");
  });

  it("says how to create the data container's Redis password file under the repo's backend", () => {
    expect(file(stack("agenix"), "docs/services/containers.md")).toContain("cd secrets && agenix -e containers-data.age");
    // one format for every secret file: the Redis password is a KEY=value line like the rest
    expect(file(stack("agenix"), "docs/services/containers.md")).toContain("`REDIS_PASSWORD=<password>`");
    expect(file(stack("agenix"), "docs/services/containers.md")).not.toContain("no `KEY=`");
    expect(file(stack("env-file"), "docs/services/containers.md")).toContain("/etc/");
  });
});

describe("the docs of a containers host's monitoring and backup", () => {
  const withMonitoring = (): Stack => {
    const base = vpsStack();
    const containers = { ...CONTAINERS, containers: [...CONTAINERS.containers.map((c) => (c.role === "data" ? { ...c, postgresql: {} } : c)), { role: "monitoring", name: "mon", address: "10.233.7.9", alerting: { receiver: "none" } }] };
    const hosts = base.hosts.map((h, i) => (i === 0 ? { ...h, services: [...h.services, containers, BACKUP] } : h));
    return validStack({ ...base, secrets: { backend: "agenix" }, hosts } as never);
  };

  it("names the monitoring container's own secret file and address, not the host kind's", () => {
    const doc = file(withMonitoring(), "docs/services/monitoring.md");
    expect(doc).toContain("| https://monitoring.example.com/ (10.233.7.9:3000) | 10.233.7.9:9090 | 10.233.7.9:9100 |");
    expect(doc).toContain("secrets/containers-mon.age");
    expect(doc).toContain("cd secrets && agenix -e containers-mon.age");
    expect(doc).not.toContain("monitoring.age");
    expect(doc).toContain("-L 9090:10.233.7.9:9090");
  });

  it("drills a restore of a path the archive has: the data container's dump, not a Grafana the host does not run", () => {
    const doc = file(withMonitoring(), "docs/services/backup.md");
    const drill = doc.slice(doc.indexOf("## Restore drill"));
    expect(drill).toContain("extract ::<latest archive> var/lib/nixos-containers/data/var/backup/postgresql");
    expect(drill).toContain("gzip -t var/lib/nixos-containers/data/var/backup/postgresql/all.sql.gz");
    expect(drill).not.toContain("var/lib/grafana");
    expect(doc).toContain("- /var/lib/nixos-containers/data/var/lib/postgresql");
    expect(doc).toContain("`postgresqlBackup.service` in container data");
  });
});

describe("README.md's architecture diagram", () => {
  const diagram = (s: Stack) => {
    const readme = file(s, "README.md");
    const start = readme.indexOf("## Architecture");
    return readme.slice(start, readme.indexOf("```\n", readme.indexOf("```mermaid", start) + 10));
  };

  it("draws what a containers host runs and the ports its firewall opens, not a gateway it does not have", () => {
    const base = stack();
    const d = diagram({ ...base, hosts: base.hosts.map((h) => ({ ...h, services: h.services.filter((s) => s.kind !== "gateway") })) });
    expect(d).toMatch(/fw\["firewall: TCP 80, 443, \d+ only"\]/);
    expect(d).toContain("nixos-containers (docs/services/containers.md)<br/>← nginx, 80 and 443");
    expect(d).not.toContain("gateway");
  });

  it("keeps the gateway's node where there is a gateway", () => {
    expect(diagram(vpsStack() as Stack)).toMatch(/gateway\.service \(user service of gateway, lingering\)<br\/>127\.0\.0\.1:\d+/);
  });
});
