import * as z from "zod/mini";
import { DEFAULTS } from "../defaults.js";
import { acmeAcceptTerms } from "../acme-terms.js";
import { dnsLabel, dnsName, email } from "../dns-name.js";
import { kindTag, lazyKind, port, serviceName } from "../rules.js";
import { alerting } from "./alerting.js";
import type { PortFields } from "./port-fields.js";

/**
 * Prometheus with a node exporter and alert rules, and Grafana served at <subdomain>.<domain>
 * through nginx with an ACME certificate. Grafana's admin password and secret key come from the
 * service's secret file (the secrets backend), never from the manifest.
 * Built on first use (rules.ts: lazyKind).
 */
export const monitoringService = lazyKind("monitoring", () => {
  /** host:port of a node exporter to scrape besides this host's own (another host, a container). */
  const scrapeTarget = z
    .string()
    .check(z.regex(/^([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?|\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):\d{1,5}$/, "use host:port, such as 10.233.1.2:9100 or db.internal:9100 (a node exporter's address)"));

  return z.strictObject({
    kind: kindTag("monitoring"),
    name: z._default(serviceName(), DEFAULTS.monitoring.name),
    /** Grafana is served at `<subdomain>.<domain>`. */
    domain: dnsName(),
    subdomain: z._default(dnsLabel(), DEFAULTS.monitoring.subdomain),
    /** The ACME (Let's Encrypt) account's contact address. */
    acmeEmail: email(),
    /** The operator accepts the ACME CA's terms (only `true`: the answer is theirs, not a default). */
    acmeAcceptTerms: acmeAcceptTerms(),
    prometheusPort: z._default(port(), DEFAULTS.monitoring.prometheusPort),
    grafanaPort: z._default(port(), DEFAULTS.monitoring.grafanaPort),
    nodeExporterPort: z._default(port(), DEFAULTS.monitoring.nodeExporterPort),
    /** How long Prometheus keeps samples (--storage.tsdb.retention.time). */
    retention: z._default(z.string().check(z.regex(/^[1-9]\d{0,4}[dwy]$/, "use a number of days, weeks or years such as 30d, 8w or 1y")), DEFAULTS.monitoring.retention),
    /** More node exporters to scrape (other hosts); containers on this host are added by their kind. */
    scrapeTargets: z._default(z.array(scrapeTarget), []),
    /** Who Alertmanager notifies: required, so "nobody" is a choice the manifest states ({"receiver": "none"}). */
    alerting: alerting(),
    alerts: z.prefault(
      z.strictObject({
        /** Alert when a file system has less free space than this, in percent. */
        diskFreePercent: z._default(z.number().check(z.int("must be a whole number"), z.gte(1, "use 1–50"), z.lte(50, "use 1–50")), DEFAULTS.monitoring.alerts.diskFreePercent),
        /** Alert when less memory than this is available, in percent. */
        memoryAvailablePercent: z._default(z.number().check(z.int("must be a whole number"), z.gte(1, "use 1–50"), z.lte(50, "use 1–50")), DEFAULTS.monitoring.alerts.memoryAvailablePercent),
        /** Alert when a certificate expires in fewer days than this (ACME renews 30 days ahead). */
        certificateDays: z._default(z.number().check(z.int("must be a whole number"), z.gte(1, "use 1–60"), z.lte(60, "use 1–60")), DEFAULTS.monitoring.alerts.certificateDays),
        /** Alert when a borg job's last archive is older than this, in hours (above the backup's schedule: 48 for daily, 192 for weekly). */
        backupMaxAgeHours: z._default(z.number().check(z.int("must be a whole number"), z.gte(2, "use 2–2000"), z.lte(2000, "use 2–2000")), DEFAULTS.monitoring.alerts.backupMaxAgeHours),
      }),
      {},
    ),
  });
});
export type MonitoringService = z.infer<ReturnType<typeof monitoringService>>;

export const monitoringPortFields = ["prometheusPort", "grafanaPort", "nodeExporterPort"] as const satisfies PortFields<MonitoringService>;
