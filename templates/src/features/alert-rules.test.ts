import { monitoringService } from "@nixos-stack/core";
import { describe, expect, it } from "vitest";
import { alertRules, alertRulesFile, METRIC_SOURCES } from "./alert-rules.js";

const service = monitoringService().parse({ kind: "monitoring", domain: "example.com", acmeEmail: "ops@example.com", acmeAcceptTerms: true, alerting: { receiver: "webhook" }, alerts: { diskFreePercent: 7, memoryAvailablePercent: 12, certificateDays: 21, backupMaxAgeHours: 192 } });
const CONTAINERS = { postgresql: true, redis: true, nats: true, qdrant: true };

const PROMQL_KEYWORDS = new Set(["by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset"]);

/** The metric names a PromQL expression selects: identifiers that are not functions, keywords, labels or durations. */
function metricsIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // label values
    .replace(/\{[^}]*\}/g, "") // label matchers
    .replace(/\[[^\]]*\]/g, "") // range selectors
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ""); // grouping labels
  const names = [...bare.matchAll(/\b[A-Za-z_:][A-Za-z0-9_:]*\b(?!\s*\()/g)].map((m) => m[0]).filter((w) => !PROMQL_KEYWORDS.has(w) && !/^\d/.test(w));
  return [...new Set(names)].sort();
}

describe("the monitoring kind's alert rules", () => {
  const file = JSON.parse(alertRulesFile(service, CONTAINERS)) as { groups: Array<{ name: string; rules: Array<Record<string, unknown>> }> };
  const rules = file.groups.flatMap((g) => g.rules);

  it("is a Prometheus rule file: groups of named alerting rules with an expression, a duration, a severity and a summary", () => {
    expect(file.groups.length).toBeGreaterThan(0);
    for (const group of file.groups) expect(group.name).toMatch(/^[a-z][a-z0-9-]*$/);
    for (const rule of rules) {
      expect(Object.keys(rule).sort()).toEqual(["alert", "annotations", "expr", "for", "labels"]);
      expect(rule.alert).toMatch(/^[A-Z][A-Za-z0-9]*$/);
      expect(typeof rule.expr).toBe("string");
      expect(rule.for).toMatch(/^\d+[smhd]$/);
      expect(["critical", "warning"]).toContain((rule.labels as { severity: string }).severity);
      expect((rule.annotations as { summary: string }).summary).not.toBe("");
      // balanced brackets: a typo here would fail promtool only at build time on the server
      for (const [open, close] of [["(", ")"], ["{", "}"], ["[", "]"]] as const) {
        expect((rule.expr as string).split(open).length, `${rule.alert} ${open}${close}`).toBe((rule.expr as string).split(close).length);
      }
    }
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
  });

  it("covers the seed's cases: an instance down, a high error rate, disk and memory exhaustion, a certificate expiring soon", () => {
    expect(rules.map((r) => r.alert)).toEqual(expect.arrayContaining(["InstanceDown", "HighErrorRate", "DiskSpaceLow", "MemoryLow", "CertificateExpiresSoon"]));
  });

  it("reads only metric families something on the host exports, and says which", () => {
    for (const { rule, reads } of [...alertRules(service), ...alertRules(service, CONTAINERS)]) {
      const used = metricsIn(rule.expr);
      expect(used, rule.alert).toEqual([...reads].sort());
      for (const metric of used) expect(Object.keys(METRIC_SOURCES), `${rule.alert} reads ${metric}`).toContain(metric);
    }
  });

  it("uses the manifest's thresholds", () => {
    const expr = (alert: string) => rules.find((r) => r.alert === alert)!.expr as string;
    expect(expr("DiskSpaceLow")).toMatch(/\* 100 < 7$/);
    expect(expr("MemoryLow")).toMatch(/\* 100 < 12$/);
    expect(expr("CertificateExpiresSoon")).toMatch(/\/ 86400 < 21$/);
    expect(expr("BackupTooOld")).toMatch(/\/ 3600 > 192$/);
  });

  it("reads memory and disk of machines only (job node): a container's exporter would repeat the host's figures once per container", () => {
    const expr = (alert: string) => rules.find((r) => r.alert === alert)!.expr as string;
    expect(expr("MemoryLow")).toBe('node_memory_MemAvailable_bytes{job="node"} / node_memory_MemTotal_bytes{job="node"} * 100 < 12');
    expect(expr("DiskSpaceLow")).toMatch(/^node_filesystem_avail_bytes\{job="node",/);
    // a container's own figures come from its cgroup and its root on the host
    expect(expr("ContainerMemoryLow")).toBe("(stack_container_memory_limit_bytes - stack_container_memory_working_set_bytes) / stack_container_memory_limit_bytes * 100 < 12");
    expect(expr("ContainerFillsDisk")).toContain("stack_container_disk_usage_bytes");
  });

  it("watches what the stack runs: container and data-service rules only beside containers, the notification rule only with a receiver", () => {
    const names = (s: typeof service, c?: typeof CONTAINERS) => alertRules(s, c).map(({ rule }) => rule.alert);
    expect(names(service)).not.toEqual(expect.arrayContaining(["ContainerMemoryLow"]));
    expect(names(service)).toContain("AlertNotificationsFailing");
    expect(names({ ...service, alerting: { receiver: "none" } })).not.toContain("AlertNotificationsFailing");
    expect(names(service, CONTAINERS)).toEqual(expect.arrayContaining(["ContainerMemoryLow", "ContainerCpuThrottled", "ContainerFillsDisk", "PostgresqlDown", "RedisDown", "NatsUnhealthy"]));
    expect(names(service, { ...CONTAINERS, redis: false, nats: false })).not.toEqual(expect.arrayContaining(["RedisDown"]));
  });

  it("finds the metric names of an expression (the helper the checks above rely on)", () => {
    expect(metricsIn('sum by (instance) (rate(foo_total{code=~"5.."}[5m])) / bar > 0.05')).toEqual(["bar", "foo_total"]);
    expect(metricsIn("(x_seconds - time()) / 86400 < 3")).toEqual(["x_seconds"]);
  });
});
