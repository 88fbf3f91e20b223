/**
 * The monitoring kind's Prometheus alert rules, as a rule file (JSON, which Prometheus reads as
 * YAML: https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/). Each rule
 * says which metric families it reads, and METRIC_SOURCES says what produces each of them, so a
 * test can check that every rule reads metrics something on the host exports.
 */
import type { MonitoringService } from "@nixos-stack/core";

/** What the monitoring service watches besides machines: a containers host's containers and their data services. */
export interface WatchedContainers {
  postgresql: boolean;
  redis: boolean;
  nats: boolean;
  qdrant: boolean;
}

/** What exports each metric family the rules read (the scrape job and its collector). */
export const METRIC_SOURCES = {
  up: "Prometheus itself: one series per scrape target (every job)",
  prometheus_http_requests_total: "Prometheus' own /metrics (job prometheus)",
  grafana_http_request_duration_seconds_count: "Grafana's /metrics (job grafana; [metrics] enabled by default)",
  node_filesystem_avail_bytes: "node exporter of a machine (job node), filesystem collector; a container's exporter leaves it out (hostFigures = false: statfs(2) of its root is the host's)",
  node_filesystem_size_bytes: "node exporter of a machine (job node), filesystem collector",
  node_memory_MemAvailable_bytes: "node exporter of a machine (job node), meminfo collector; a container's /proc/meminfo is the host's, so its exporter leaves it out",
  node_memory_MemTotal_bytes: "node exporter of a machine (job node), meminfo collector",
  node_systemd_unit_state: "every node exporter, systemd collector (enabledCollectors = [ \"systemd\" ]): a container's reports its own units",
  stack_tls_certificate_expiry_timestamp_seconds: "node exporter, textfile collector: written hourly by tls-certificate-expiry.service (modules/services/node-exporter.nix)",
  stack_backup_last_success_timestamp_seconds: "node exporter, textfile collector: written by each borg job after a successful archive (modules/services/backup.nix)",
  stack_container_memory_working_set_bytes: "the host's node exporter, textfile collector: container@<name>.service's cgroup, every minute (modules/services/container-metrics.nix)",
  stack_container_memory_limit_bytes: "the host's node exporter, textfile collector: the lower of the container's MemoryHigh= and MemoryMax= (container-metrics.nix)",
  stack_container_cpu_throttled_seconds_total: "the host's node exporter, textfile collector: cpu.stat throttled_usec of the container's cgroup (container-metrics.nix)",
  stack_container_disk_usage_bytes: "the host's node exporter, textfile collector: du of /var/lib/nixos-containers/<name> (container-metrics.nix)",
  pg_up: "postgres_exporter in the data container (job postgresql: modules/services/container-exporters.nix)",
  redis_up: "redis_exporter in the data container (job redis)",
  gnatsd_healthz_status: "prometheus-nats-exporter -healthz in the data container (job nats; 0 when NATS answers ok)",
  alertmanager_notifications_failed_total: "Alertmanager's own /metrics (job alertmanager: modules/services/alertmanager.nix)",
} as const;
export type MetricFamily = keyof typeof METRIC_SOURCES;

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: "critical" | "warning" };
  annotations: { summary: string; description: string };
}

/** Filesystems worth alerting on, of machines (job node; containers have none of their own): not memory-backed, not the read-only store bind mount. */
const REAL_FS = 'job="node",fstype!~"tmpfs|ramfs|devtmpfs|overlay|squashfs|nsfs",mountpoint!~"/nix/store|/run.*|/boot.*"';

/** The containers' use of the host's disk, biggest first, for the disk alert's description. */
const CONTAINERS_ON_DISK = '{{ range query "sort_desc(stack_container_disk_usage_bytes)" }}{{ .Labels.container }} {{ .Value | humanize1024 }}B; {{ end }}';

/** The rules and the metric families each reads, from the monitoring service's thresholds. */
export function alertRules(service: MonitoringService, containers?: WatchedContainers): Array<{ rule: AlertRule; reads: MetricFamily[] }> {
  const { diskFreePercent, memoryAvailablePercent, certificateDays, backupMaxAgeHours } = service.alerts;
  const rules: Array<{ rule: AlertRule; reads: MetricFamily[] }> = [
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
        annotations: {
          summary: `{{ $labels.mountpoint }} on {{ $labels.instance }} has less than ${diskFreePercent}% free`,
          description: `{{ $value | humanize }}% of {{ $labels.mountpoint }} is free.${containers ? ` The containers use: ${CONTAINERS_ON_DISK}` : ""}`,
        },
      },
    },
    {
      reads: ["node_memory_MemAvailable_bytes", "node_memory_MemTotal_bytes"],
      rule: {
        alert: "MemoryLow",
        expr: `node_memory_MemAvailable_bytes{job="node"} / node_memory_MemTotal_bytes{job="node"} * 100 < ${memoryAvailablePercent}`,
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
  if (service.alerting.receiver !== "none")
    rules.push({
      reads: ["alertmanager_notifications_failed_total"],
      rule: {
        alert: "AlertNotificationsFailing",
        expr: "sum by (integration) (rate(alertmanager_notifications_failed_total[15m])) > 0",
        for: "15m",
        labels: { severity: "critical" },
        annotations: { summary: "Alertmanager cannot deliver notifications by {{ $labels.integration }}", description: "Nobody is being notified of alerts: journalctl -u alertmanager says why (the SMTP server or the webhook refuses, or the secret file lacks its line)." },
      },
    });
  if (containers) rules.push(...containerRules(memoryAvailablePercent), ...dataServiceRules(containers));
  return rules;
}

/** A container's memory, CPU and disk, from its cgroup and its root on the host (modules/services/container-metrics.nix). */
function containerRules(memoryAvailablePercent: number): Array<{ rule: AlertRule; reads: MetricFamily[] }> {
  return [
    {
      reads: ["stack_container_memory_limit_bytes", "stack_container_memory_working_set_bytes"],
      rule: {
        alert: "ContainerMemoryLow",
        expr: `(stack_container_memory_limit_bytes - stack_container_memory_working_set_bytes) / stack_container_memory_limit_bytes * 100 < ${memoryAvailablePercent}`,
        for: "10m",
        labels: { severity: "critical" },
        annotations: {
          summary: `Container {{ $labels.container }} has less than ${memoryAvailablePercent}% of its memory limit left`,
          description: "{{ $value | humanize }}% of its MemoryHigh/MemoryMax is left: above MemoryHigh it is throttled, at MemoryMax its processes are killed (limits in nixos-stack.json).",
        },
      },
    },
    {
      reads: ["stack_container_cpu_throttled_seconds_total"],
      rule: {
        alert: "ContainerCpuThrottled",
        expr: "rate(stack_container_cpu_throttled_seconds_total[10m]) > 0.25",
        for: "15m",
        labels: { severity: "warning" },
        annotations: { summary: "Container {{ $labels.container }} is held back by its CPU quota", description: "It waited for CPU {{ $value | humanizePercentage }} of the time over 10 minutes (its cpuQuota in nixos-stack.json)." },
      },
    },
    {
      reads: ["node_filesystem_avail_bytes", "stack_container_disk_usage_bytes"],
      rule: {
        alert: "ContainerFillsDisk",
        // the host's node exporter exports both: the same instance
        expr: 'predict_linear(stack_container_disk_usage_bytes[6h], 86400) - stack_container_disk_usage_bytes > on (instance) group_left () node_filesystem_avail_bytes{job="node",mountpoint="/"}',
        for: "1h",
        labels: { severity: "warning" },
        annotations: { summary: "Container {{ $labels.container }} fills the host's disk within a day at its rate", description: "It grew fast enough over 6 hours to use the {{ $value | humanize1024 }}B still free on / within 24 hours." },
      },
    },
  ];
}

/** The data containers' services, from their exporters (modules/services/container-exporters.nix); Qdrant's own /metrics is InstanceDown's. */
function dataServiceRules(containers: WatchedContainers): Array<{ rule: AlertRule; reads: MetricFamily[] }> {
  const down = (alert: string, metric: MetricFamily, expr: string, what: string, unit: string) => ({
    reads: [metric],
    rule: {
      alert,
      expr,
      for: "5m",
      labels: { severity: "critical" as const },
      annotations: { summary: `${what} in container {{ $labels.container }} does not answer its exporter`, description: `journalctl -M {{ $labels.container }} -u ${unit} says why.` },
    },
  });
  return [
    ...(containers.postgresql ? [down("PostgresqlDown", "pg_up", "pg_up == 0", "PostgreSQL", "postgresql")] : []),
    ...(containers.redis ? [down("RedisDown", "redis_up", "redis_up == 0", "Redis", "'redis-*'")] : []),
    ...(containers.nats ? [down("NatsUnhealthy", "gnatsd_healthz_status", "gnatsd_healthz_status != 0", "NATS", "nats")] : []),
  ];
}

/** The rule file's text: one group, every rule. */
export function alertRulesFile(service: MonitoringService, containers?: WatchedContainers): string {
  const rules = alertRules(service, containers).map(({ rule }) => rule);
  return `${JSON.stringify({ groups: [{ name: "nixos-stack", rules }] }, null, 2)}\n`;
}
