import type { Feature } from "@nixos-stack/core";
import { hasService } from "./context.js";

/**
 * modules/services/node-exporter.nix, once per repo: the host's node exporter and its textfile
 * metrics, imported by the monitoring kind (scraped by the host's own Prometheus) and by the
 * containers kind (scraped by a monitoring container over ve-<name>). Its own feature, so that
 * neither kind has to ask whether the other already wrote it.
 */
export const nodeExporterFeature: Feature = {
  id: "node-exporter",
  applies: (stack) => stack.hosts.some((h) => hasService(h, "monitoring") || hasService(h, "containers")),
  files: () => [{ path: "modules/services/node-exporter.nix", template: "modules/services/node-exporter.nix", ownership: "managed" }],
};
