import { readFileSync } from "node:fs";
import { parseStackJson } from "@nixos-stack/core";
import { describe, expect, it } from "vitest";
import { EXAMPLE_MANIFEST } from "../../test-support/repo.js";
import { toServiceAnswers } from "../generator.js";
import { addServiceEdit } from "../to-edit.js";
import { SERVICE_KIND_PROMPTS } from "./index.js";

const example = () => {
  const text = readFileSync(EXAMPLE_MANIFEST, "utf8");
  const r = parseStackJson(text);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return { dir: "/repo", text, stack: r.stack };
};

describe("add-service's monitoring, backup and home-service kinds", () => {
  it("offers each kind, and every kind's flags that share a name mean the same field", () => {
    expect(SERVICE_KIND_PROMPTS.map((k) => k.kind)).toEqual(["gateway", "monitoring", "backup", "home-service", "node-app", "web-app"]);
    const byFlag = new Map<string, string>();
    for (const field of SERVICE_KIND_PROMPTS.flatMap((k) => k.fields)) {
      expect(byFlag.get(field.flag) ?? field.name, field.flag).toBe(field.name);
      byFlag.set(field.flag, field.name);
    }
  });

  it("turns answered monitoring and home-service questions into manifest entries that validate", () => {
    const doc = example();
    const host = doc.stack.hosts[0]!.name;
    const monitoring = toServiceAnswers({ kind: "monitoring", host, name: "monitoring", "monitoring.domain": "example.com", "monitoring.acmeEmail": "ops@example.com", "monitoring.acmeAcceptTerms": true, "monitoring.subdomain": "", "monitoring.alertReceiver": "webhook" });
    const withMonitoring = addServiceEdit(monitoring).apply(doc);
    const bot = toServiceAnswers({ kind: "home-service", host, name: "bot", "home-service.user": "bot", "home-service.command": "exec /home/bot/bin/bot", "home-service.port": "8090" });
    const after = addServiceEdit(bot).apply({ ...doc, text: withMonitoring });
    const services = JSON.parse(after).hosts[0].services;
    expect(services.slice(-2)).toEqual([
      { kind: "monitoring", name: "monitoring", domain: "example.com", acmeEmail: "ops@example.com", acmeAcceptTerms: true, alerting: { receiver: "webhook" } },
      { kind: "home-service", name: "bot", user: "bot", command: "exec /home/bot/bin/bot", port: 8090 },
    ]);
    expect(parseStackJson(after).ok).toBe(true);
  });

  it("asks who is notified: e-mail's answers nest under alerting, an unanswered receiver is refused naming the choices", () => {
    const doc = example();
    const host = doc.stack.hosts[0]!.name;
    const base = { kind: "monitoring", host, name: "monitoring", "monitoring.domain": "example.com", "monitoring.acmeEmail": "ops@example.com", "monitoring.acmeAcceptTerms": true };
    const email = toServiceAnswers({ ...base, "monitoring.alertReceiver": "Email", "monitoring.alertTo": "ops@example.com", "monitoring.alertFrom": "alerts@example.com", "monitoring.smtpSmarthost": "smtp.example.com:587", "monitoring.smtpUsername": "alerts@example.com" });
    const after = addServiceEdit(email).apply(doc);
    expect(JSON.parse(after).hosts[0].services.at(-1).alerting).toEqual({ receiver: "email", to: "ops@example.com", from: "alerts@example.com", smarthost: "smtp.example.com:587", username: "alerts@example.com" });
    expect(parseStackJson(after).ok).toBe(true);
    expect(() => toServiceAnswers({ ...base, "monitoring.alertReceiver": "pager" })).toThrow(/"pager" is not a receiver: use email, webhook, none/);
    const unanswered = parseStackJson(addServiceEdit(toServiceAnswers(base)).apply(doc));
    expect(JSON.stringify(!unanswered.ok && unanswered.errors)).toContain("choose who is notified when an alert fires");
  });

  it("leaves a required field out when unanswered, so validation names it", () => {
    const doc = example();
    const after = addServiceEdit(toServiceAnswers({ kind: "backup", host: doc.stack.hosts[0]!.name, name: "backup", "backup.repository": "" })).apply(doc);
    const r = parseStackJson(after);
    expect(r.ok).toBe(false);
    expect(JSON.stringify(!r.ok && r.errors)).toContain("repository");
  });
});
