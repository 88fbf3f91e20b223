import type { Feature, FileSpec, Stack } from "@nixos-stack/core";
import { alertRulesFile } from "./alert-rules.js";
import { hasService } from "./context.js";
import { secretHowTo } from "./secret-howto.js";

/** Where a monitoring service's rule file is written (relative to the repo). */
export const alertRulesPath = (name: string) => `modules/services/monitoring/${name}.rules.json`;

/** Prometheus + node exporter + Grafana behind nginx/ACME, its alert rules and its docs. */
export const monitoringServiceFeature: Feature = {
  id: "monitoring-service",
  applies: (stack) => stack.hosts.some((h) => hasService(h, "monitoring")),
  files: (stack: Stack) => {
    const services = stack.hosts.flatMap((h) =>
      h.services.flatMap((s) => (s.kind === "monitoring" ? [{ host: h.name, service: s, url: `https://${s.subdomain}.${s.domain}/`, secret: secretHowTo(stack, s.name) }] : [])),
    );
    return [
      { path: "modules/services/monitoring.nix", template: "modules/services/monitoring.nix", ownership: "managed" },
      { path: "modules/services/node-exporter.nix", template: "modules/services/node-exporter.nix", ownership: "managed" },
      ...services.map(({ service }): FileSpec => ({ path: alertRulesPath(service.name), content: alertRulesFile(service), ownership: "managed" })),
      { path: "docs/services/monitoring.md", template: "docs/services/monitoring.md", ownership: "managed", context: { services } },
    ];
  },
};
