import type { Stack } from "@nixos-stack/core";
import { describe, expect, it } from "vitest";
import { renderStack } from "../index.js";
import { validStack, vpsStack } from "../test-support/render-to-disk.js";

function docFor(alerting: Record<string, unknown>): string {
  const base = vpsStack();
  const monitoring = { kind: "monitoring", domain: "example.com", acmeEmail: "ops@example.com", acmeAcceptTerms: true, alerting };
  const stack: Stack = validStack({ ...base, hosts: base.hosts.map((h, i) => (i === 0 ? { ...h, services: [...h.services, monitoring] } : h)) } as never);
  return renderStack(stack).get("docs/services/monitoring.md")!.content;
}

describe("docs/services/monitoring.md: who is notified", () => {
  it("warns, in so many words, that nobody is notified when the manifest chose receiver none", () => {
    const doc = docFor({ receiver: "none" });
    expect(doc).toMatch(/\| monitoring on vps-x86 \| NOBODY: the alerts show in Prometheus and Grafana only \|/);
    expect(doc).toContain('**Warning: with `"alerting": {"receiver": "none"}` nobody is notified.**');
  });

  it("names the e-mail receiver and the secret line of its password, and gives no warning", () => {
    const doc = docFor({ receiver: "email", to: "ops@example.com", from: "alerts@example.com", smarthost: "smtp.example.com:587", username: "alerts@example.com" });
    expect(doc).toContain("e-mail to ops@example.com from alerts@example.com through smtp.example.com:587 as alerts@example.com \\(password: the ALERTMANAGER\\_SMTP\\_PASSWORD line\\)");
    expect(doc).toContain("`ALERTMANAGER_SMTP_PASSWORD=`");
    expect(doc).not.toContain("nobody is notified.**");
    expect(doc).not.toContain("**Webhook**");
  });

  it("names the webhook's secret line", () => {
    const doc = docFor({ receiver: "webhook" });
    expect(doc).toContain("`ALERTMANAGER_WEBHOOK_URL=`");
    expect(doc).not.toContain("**E-mail**");
  });
});
