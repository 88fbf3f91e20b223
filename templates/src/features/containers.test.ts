import type { Stack } from "@nixos-stack/core";
import { describe, expect, it } from "vitest";
import { renderStack } from "../index.js";
import { validStack, vpsStack } from "../test-support/render-to-disk.js";
import { hostScrapeTargets, hostStatefulPaths } from "./stateful-paths.js";

const CONTAINERS = {
  kind: "containers",
  subnet: "10.233.7.0/24",
  externalInterface: "ens3",
  domain: "example.com",
  acmeEmail: "ops@example.com",
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

  it("lists the host's and each container's node exporter as scrape targets", () => {
    const s = stack();
    expect(hostScrapeTargets(s, s.hosts[0]!)).toEqual(["10.233.7.1:9100", "10.233.7.2:9100", "10.233.7.3:9100"]);
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

  it("says how to create the data container's Redis password file under the repo's backend", () => {
    expect(file(stack("agenix"), "docs/services/containers.md")).toContain("cd secrets && agenix -e containers-data.age");
    expect(file(stack("env-file"), "docs/services/containers.md")).toContain("/etc/");
  });
});
