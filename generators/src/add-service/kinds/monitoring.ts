/** The monitoring kind's questions (schema: packages/core/src/manifest/services/monitoring.ts). Unanswered: the schema's defaults. */
import { ALERT_RECEIVERS } from "@nixos-stack/core";
import { acmeTermsField, type ServiceKindPrompts } from "./kind.js";

const text = (t: string) => t.trim();

/** email | webhook | none: who Alertmanager notifies (packages/core/src/manifest/services/alerting.ts). */
export function parseAlertReceiver(input: string): string {
  const value = input.trim().toLowerCase();
  if (!(ALERT_RECEIVERS as readonly string[]).includes(value)) throw new Error(`"${input}" is not a receiver: use ${ALERT_RECEIVERS.join(", ")} (none: nobody is notified)`);
  return value;
}

export const monitoringPrompts: ServiceKindPrompts = {
  kind: "monitoring",
  description: "Prometheus, a node exporter, alert rules and Alertmanager, and Grafana at <subdomain>.<domain> through nginx with ACME",
  fields: [
    { name: "domain", flag: "--domain", message: "The domain Grafana is served under (example.com; required):", parse: text },
    { name: "subdomain", flag: "--subdomain", message: "Grafana's subdomain (default: monitoring):", parse: text },
    { name: "acmeEmail", flag: "--acme-email", message: "The e-mail of the Let's Encrypt account (required):", parse: text },
    acmeTermsField,
    // no default: "nobody is notified" is a choice the manifest states (docs/services/monitoring.md)
    { name: "alertReceiver", flag: "--alert-receiver", path: ["alerting", "receiver"], message: "Who is notified when an alert fires: email, webhook (its URL goes in the secret file) or none (nobody; required):", parse: parseAlertReceiver },
    { name: "alertTo", flag: "--alert-to", path: ["alerting", "to"], message: "email: the address alerts are sent to:", parse: text },
    { name: "alertFrom", flag: "--alert-from", path: ["alerting", "from"], message: "email: the sender address the SMTP server accepts:", parse: text },
    { name: "smtpSmarthost", flag: "--smtp-smarthost", path: ["alerting", "smarthost"], message: "email: the SMTP server, host:port (smtp.example.com:587):", parse: text },
    { name: "smtpUsername", flag: "--smtp-username", path: ["alerting", "username"], message: "email: the SMTP account (its password goes in the secret file; default: no authentication):", parse: text },
  ],
};
