import type { Stack } from "@nixos-stack/core";
import { describe, expect, it } from "vitest";
import { renderStack } from "../index.js";
import { validStack, vpsStack } from "../test-support/render-to-disk.js";
import { alertRules } from "./alert-rules.js";

const MONITORING = { kind: "monitoring", domain: "example.com", acmeEmail: "ops@example.com", acmeAcceptTerms: true, alerting: { receiver: "webhook" } };
const BACKUP = { kind: "backup", repository: "/mnt/backup/borg", paths: ["/srv/uploads"], exclude: ["/srv/uploads/tmp"] };

function stackWith(backend: "agenix" | "sops" | "env-file", tuning?: Record<string, unknown>): Stack {
  const base = vpsStack();
  const hosts = base.hosts.map((h, i) => (i === 0 ? { ...h, services: [...h.services, MONITORING, BACKUP], ...(tuning ? { tuning } : {}) } : h));
  return validStack({ ...base, secrets: { backend }, hosts } as never);
}
const file = (stack: Stack, path: string) => {
  const f = renderStack(stack).get(path);
  if (!f) throw new Error(`${path} was not rendered`);
  return f.content;
};

describe("the monitoring and backup docs", () => {
  it("list every path the backup job archives, what it leaves out, and the restore drill", () => {
    const doc = file(stackWith("agenix"), "docs/services/backup.md");
    for (const path of ["/home/gateway", "/var/lib/grafana", "/var/lib/prometheus2", "/srv/uploads"]) expect(doc).toContain(`\n- ${path}\n`);
    expect(doc).toMatch(/Left out:\n- \/srv\/uploads\/tmp\n/);
    expect(doc).toContain("## Restore drill");
    // the drill names the job and a path its archive holds (here Grafana's database)
    expect(doc).toContain("borg-job-backup check --last 1");
    expect(doc).toContain("sqlite3 var/lib/grafana/data/grafana.db");
  });

  it("say where the secret file is and how to create it, for each backend", () => {
    expect(file(stackWith("agenix"), "docs/services/backup.md")).toContain("| secret file | secrets/backup.age (create: cd secrets && agenix -e backup.age) |");
    expect(file(stackWith("sops"), "docs/services/monitoring.md")).toContain("Create it for monitoring: sops secrets/monitoring.env.");
    expect(file(stackWith("env-file"), "docs/services/monitoring.md")).toContain("/etc/test-infra/secrets/monitoring.env");
  });

  it("describe every alert the rule file holds", () => {
    const doc = file(stackWith("agenix"), "docs/services/monitoring.md");
    const service = stackWith("agenix").hosts[0]!.services.find((s) => s.kind === "monitoring")!;
    for (const { rule } of alertRules(service as never)) expect(doc).toContain(rule.alert);
  });

  it("show a tuning value of 0 (vm.swappiness = 0 is a real choice)", () => {
    const doc = file(stackWith("agenix", { swappiness: 0, nofile: 65536 }), "docs/performance-tuning.md");
    expect(doc).toContain("| vm.swappiness | 0 |");
    // Markdown-escaped as text, not inside a code span where the backslashes would show
    expect(doc).toContain("| open files \\(nofile\\) | 65536 |");
  });
});
