/**
 * The monitoring kind's Prometheus alert rules, as a rule file (JSON, which Prometheus reads as
 * YAML: https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/). Each rule
 * says which metric families it reads, and METRIC_SOURCES says what produces each of them, so a
 * test can check that every rule reads metrics something on the host exports.
 */
import type { MonitoringService } from "@nixos-stack/core";

/** What exports each metric family the rules read (the scrape job and its collector). */
export const METRIC_SOURCES = {
  up: "Prometheus itself: one series per scrape target (job prometheus, grafana, node)",
  prometheus_http_requests_total: "Prometheus' own /metrics (job prometheus)",
  grafana_http_request_duration_seconds_count: "Grafana's /metrics (job grafana; [metrics] enabled by default)",
  node_filesystem_avail_bytes: "node exporter, filesystem collector (on by default)",
  node_filesystem_size_bytes: "node exporter, filesystem collector (on by default)",
  node_memory_MemAvailable_bytes: "node exporter, meminfo collector (on by default)",
  node_memory_MemTotal_bytes: "node exporter, meminfo collector (on by default)",
  node_systemd_unit_state: "node exporter, systemd collector (enabledCollectors = [ \"systemd\" ])",
  stack_tls_certificate_expiry_timestamp_seconds: "node exporter, textfile collector: written hourly by tls-certificate-expiry.service (modules/services/node-exporter.nix)",
  stack_backup_last_success_timestamp_seconds: "node exporter, textfile collector: written by each borg job after a successful archive (modules/services/backup.nix)",
} as const;
export type MetricFamily = keyof typeof METRIC_SOURCES;

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: "critical" | "warning" };
  annotations: { summary: string; description: string };
}

/** Filesystems worth alerting on: not memory-backed, not the read-only store bind mount. */
const REAL_FS = 'fstype!~"tmpfs|ramfs|devtmpfs|overlay|squashfs|nsfs",mountpoint!~"/nix/store|/run.*|/boot.*"';

/** The rules and the metric families each reads, from the monitoring service's thresholds. */
export function alertRules(service: MonitoringService): Array<{ rule: AlertRule; reads: MetricFamily[] }> {
  const { diskFreePercent, memoryAvailablePercent, certificateDays, backupMaxAgeHours } = service.alerts;
  return [
    {
      reads: ["up"],
      rule: {
        alert: "InstanceDown",
        expr: "up == 0",
        for: "5m",
        labels: { severity: "critical" },
        annotations: { summary: "{{ $labels.instance }} ({{ $labels.job }}) is down", description: "Prometheus could not scrape {{ $labels.instance }} of job {{ $labels.job }} for 5 minutes." },
      },
    },
    {
      reads: ["prometheus_http_requests_total"],
      rule: {
        alert: "HighErrorRate",
        expr: 'sum by (instance) (rate(prometheus_http_requests_total{code=~"5.."}[5m])) / sum by (instance) (rate(prometheus_http_requests_total[5m])) > 0.05',
        for: "10m",
        labels: { severity: "warning" },
        annotations: { summary: "Prometheus on {{ $labels.instance }} answers more than 5% of requests with 5xx", description: "{{ $value | humanizePercentage }} of HTTP requests failed over 5 minutes." },
      },
    },
    {
      reads: ["grafana_http_request_duration_seconds_count"],
      rule: {
        alert: "GrafanaHighErrorRate",
        expr: 'sum by (instance) (rate(grafana_http_request_duration_seconds_count{status_code=~"5.."}[5m])) / sum by (instance) (rate(grafana_http_request_duration_seconds_count[5m])) > 0.05',
        for: "10m",
        labels: { severity: "warning" },
        annotations: { summary: "Grafana on {{ $labels.instance }} answers more than 5% of requests with 5xx", description: "{{ $value | humanizePercentage }} of Grafana's HTTP requests failed over 5 minutes." },
      },
    },
    {
      reads: ["node_systemd_unit_state"],
      rule: {
        alert: "SystemdUnitFailed",
        expr: 'node_systemd_unit_state{state="failed"} == 1',
        for: "5m",
        labels: { severity: "warning" },
        annotations: { summary: "{{ $labels.name }} failed on {{ $labels.instance }}", description: "systemd reports {{ $labels.name }} as failed: journalctl -u {{ $labels.name }}." },
      },
    },
    {
      reads: ["node_filesystem_avail_bytes", "node_filesystem_size_bytes"],
      rule: {
        alert: "DiskSpaceLow",
        expr: `node_filesystem_avail_bytes{${REAL_FS}} / node_filesystem_size_bytes{${REAL_FS}} * 100 < ${diskFreePercent}`,
        for: "10m",
        labels: { severity: "critical" },
        annotations: { summary: `{{ $labels.mountpoint }} on {{ $labels.instance }} has less than ${diskFreePercent}% free`, description: "{{ $value | humanize }}% of {{ $labels.mountpoint }} is free." },
      },
    },
    {
      reads: ["node_memory_MemAvailable_bytes", "node_memory_MemTotal_bytes"],
      rule: {
        alert: "MemoryLow",
        expr: `node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes * 100 < ${memoryAvailablePercent}`,
        for: "10m",
        labels: { severity: "critical" },
        annotations: { summary: `{{ $labels.instance }} has less than ${memoryAvailablePercent}% of its memory available`, description: "{{ $value | humanize }}% of memory is available." },
      },
    },
    {
      reads: ["stack_tls_certificate_expiry_timestamp_seconds"],
      rule: {
        alert: "CertificateExpiresSoon",
        expr: `(stack_tls_certificate_expiry_timestamp_seconds - time()) / 86400 < ${certificateDays}`,
        for: "1h",
        labels: { severity: "warning" },
        annotations: { summary: `The certificate of {{ $labels.domain }} expires in less than ${certificateDays} days`, description: "ACME renews 30 days ahead, so renewal is failing: journalctl -u acme-{{ $labels.domain }}." },
      },
    },
    {
      reads: ["stack_backup_last_success_timestamp_seconds"],
      rule: {
        alert: "BackupTooOld",
        expr: `(time() - stack_backup_last_success_timestamp_seconds) / 3600 > ${backupMaxAgeHours}`,
        for: "1h",
        labels: { severity: "warning" },
        annotations: { summary: `The last successful borg archive of {{ $labels.borg_job }} on {{ $labels.instance }} is over ${backupMaxAgeHours} hours old`, description: "journalctl -u borgbackup-job-{{ $labels.borg_job }} says why." },
      },
    },
  ];
}

/** The rule file's text: one group, every rule. */
export function alertRulesFile(service: MonitoringService): string {
  const rules = alertRules(service).map(({ rule }) => rule);
  return `${JSON.stringify({ groups: [{ name: "nixos-stack", rules }] }, null, 2)}\n`;
}
