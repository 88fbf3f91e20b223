/** The monitoring kind's questions (schema: packages/core/src/manifest/services/monitoring.ts). Unanswered: the schema's defaults. */
import { acmeTermsField, type ServiceKindPrompts } from "./kind.js";

const text = (t: string) => t.trim();

export const monitoringPrompts: ServiceKindPrompts = {
  kind: "monitoring",
  description: "Prometheus, a node exporter and alert rules, and Grafana at <subdomain>.<domain> through nginx with ACME",
  fields: [
    { name: "domain", flag: "--domain", message: "The domain Grafana is served under (example.com; required):", parse: text },
    { name: "subdomain", flag: "--subdomain", message: "Grafana's subdomain (default: monitoring):", parse: text },
    { name: "acmeEmail", flag: "--acme-email", message: "The e-mail of the Let's Encrypt account (required):", parse: text },
    acmeTermsField,
  ],
};
