import { ALERTING_SECRET_KEYS, type Feature, type FileSpec, type MonitoringService, type Stack } from "@nixos-stack/core";
import { alertRulesFile } from "./alert-rules.js";
import { containerDataServices, containerMonitoringService, containerSecretName } from "./containers.js";
import { secretHowTo } from "./secret-howto.js";

/** Where a monitoring service's rule file is written (relative to the repo). */
export const alertRulesPath = (name: string) => `modules/services/monitoring/${name}.rules.json`;

/**
 * Every monitoring service of the stack and the host it runs on. A kind that runs one elsewhere
 * (inside a container of the host) adds it here: the modules, its rule file and its docs follow.
 */
export function stackMonitoringServices(stack: Stack): Array<{ host: string; service: MonitoringService; container?: { name: string; address: string; secret: string } }> {
  return stack.hosts.flatMap((h) =>
    h.services.flatMap((s) => {
      if (s.kind === "monitoring") return [{ host: h.name, service: s }];
      // a monitoring container of the containers kind (modules/services/containers.nix)
      if (s.kind === "containers") return s.containers.flatMap((c) => (c.role === "monitoring" ? [{ host: h.name, service: containerMonitoringService(s, c), container: { name: c.name, address: c.address, secret: containerSecretName(s, c)! } }] : []));
      return [];
    }),
  );
}

/** Who a monitoring service notifies, for the docs. */
function notifyText(service: MonitoringService): string {
  const a = service.alerting;
  if (a.receiver === "email") return `e-mail to ${a.to} from ${a.from} through ${a.smarthost}${a.username ? ` as ${a.username} (password: the ${ALERTING_SECRET_KEYS.smtpPassword} line)` : " (no authentication)"}`;
  if (a.receiver === "webhook") return `a POST of Alertmanager's JSON to the URL in the ${ALERTING_SECRET_KEYS.webhookUrl} line`;
  return "NOBODY: the alerts show in Prometheus and Grafana only";
}

/** The containers (and their data services) the monitoring service of a host watches: the host's containers kind, if any. */
export function watchedContainers(stack: Stack, host: string) {
  const service = stack.hosts.find((h) => h.name === host)?.services.find((s) => s.kind === "containers");
  return service?.kind === "containers" ? containerDataServices(service) : undefined;
}

/** Prometheus + node exporter + Grafana behind nginx/ACME, its alert rules and its docs. */
export const monitoringServiceFeature: Feature = {
  id: "monitoring-service",
  applies: (stack) => stackMonitoringServices(stack).length > 0,
  files: (stack: Stack) => {
    // a monitoring container listens on its own address and reads the container's secret file
    // (containers-<name>, bind-mounted: modules/services/containers.nix), a host's on 127.0.0.1
    const services = stackMonitoringServices(stack).map(({ host, service, container }) => ({
      host,
      service,
      container,
      address: container?.address ?? "127.0.0.1",
      url: `https://${service.subdomain}.${service.domain}/`,
      secret: secretHowTo(stack, container?.secret ?? service.name),
      notify: notifyText(service),
      watches: watchedContainers(stack, host),
    }));
    const receivers = new Set(services.map((s) => s.service.alerting.receiver));
    return [
      { path: "modules/services/monitoring.nix", template: "modules/services/monitoring.nix", ownership: "managed" },
      { path: "modules/services/alertmanager.nix", template: "modules/services/alertmanager.nix", ownership: "managed" },
      ...services.map(({ host, service }): FileSpec => ({ path: alertRulesPath(service.name), content: alertRulesFile(service, watchedContainers(stack, host)), ownership: "managed" })),
      { path: "docs/services/monitoring.md", template: "docs/services/monitoring.md", ownership: "managed", context: { services, inContainer: services.some((s) => s.container), nobody: receivers.has("none"), email: receivers.has("email"), webhook: receivers.has("webhook"), containers: services.some((s) => s.watches) } },
    ];
  },
};
