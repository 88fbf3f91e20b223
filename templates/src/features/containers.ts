/**
 * The containers kind: nixos-containers on a host (modules/services/containers.nix), their
 * options, secret names, ports, health checks and docs. What the backup, monitoring and secrets
 * features read of them (state paths, dumps, secret files) is in ../kinds/containers.ts.
 */
import { dataClients, hostAddressOf, publicSubdomain, type Container, type ContainersService, type Feature, type Host, type MonitoringService, type Stack } from "@nixos-stack/core";
import { secretHowTo } from "./secret-howto.js";

/** Node exporter port of every container (upstream's default; the container is its own namespace). */
export const CONTAINER_NODE_EXPORTER_PORT = 9100;

export function containerServices(host: Host): ContainersService[] {
  return host.services.flatMap((s) => (s.kind === "containers" ? [s] : []));
}

/**
 * The secret file a container reads (bind-mounted read-only), if it needs one: unique in the repo.
 * Every data container has one: each of its services takes a credential from it (REDIS_PASSWORD,
 * NATS_TOKEN, QDRANT_API_KEY, PostgreSQL's role passwords).
 */
export function containerSecretName(service: ContainersService, container: Container): string | undefined {
  const needs = container.role === "data" || (container.role === "app" && container.secrets) || container.role === "monitoring";
  return needs ? `${service.name}-${container.name}` : undefined;
}

/** A monitoring container as the monitoring kind's service (its rule file and docs follow from it). */
export function containerMonitoringService(service: ContainersService, container: Extract<Container, { role: "monitoring" }>): MonitoringService {
  const { role: _role, address: _address, autoStart: _autoStart, limits: _limits, name, ...rest } = container;
  return { kind: "monitoring", name, domain: service.domain, acmeEmail: service.acmeEmail, acmeAcceptTerms: service.acmeAcceptTerms, ...rest };
}

/** The data container's unit that takes Qdrant's full snapshot (modules/services/containers.nix). */
export const QDRANT_SNAPSHOT_UNIT = "qdrant-snapshot.service";

/**
 * The host's node exporter as a monitoring container reaches it (on the host's veth side): job
 * node, a machine's figures. The containers' own exporters are job container, with the data
 * services' exporters (modules/services/container-metrics.nix).
 */
export function containerScrapeTargets(service: ContainersService): string[] {
  return [`${hostAddressOf(service)}:${CONTAINER_NODE_EXPORTER_PORT}`];
}

/** The data services a containers service runs (what its monitoring's alert rules watch). */
export function containerDataServices(service: ContainersService): { postgresql: boolean; redis: boolean; nats: boolean; qdrant: boolean } {
  const data = service.containers.flatMap((c) => (c.role === "data" ? [c] : []));
  return { postgresql: data.some((c) => c.postgresql), redis: data.some((c) => c.redis), nats: data.some((c) => c.nats), qdrant: data.some((c) => c.qdrant) };
}

/** The monitoring secret file's lines its Prometheus sends as scrape credentials: Qdrant's API key (modules/services/monitoring.nix, scrapeSecrets). */
export function containerScrapeSecrets(service: ContainersService): Array<{ key: string; file: string }> {
  return containerDataServices(service).qdrant ? [{ key: "QDRANT_API_KEY", file: "qdrant_api_key" }] : [];
}

/**
 * What a container's service that waits for its secret says in the journal: under agenix and sops
 * the deploy that adds the encrypted file restarts the container with it mounted (nixos-containers
 * restarts container@<name> when its bind mounts change); under env-file the operator writes the
 * file over the placeholder on the host, and a bind-mounted file is the one that was there when the
 * container started, so the container is restarted.
 */
export function containerSecretAdvice(stack: Stack, container: Container, secret: string): string {
  const how = secretHowTo(stack, secret);
  if (stack.secrets.backend !== "env-file") return `in the repo: ${how.edit}, git add ${how.file}, then deploy (docs/secrets.md); the container restarts with it`;
  return `on the host: ${how.edit} (KEY=value lines, docs/secrets.md), then systemctl restart container@${container.name}`;
}

function containerOptions(stack: Stack, service: ContainersService, container: Container, scrapeTargets: string[]) {
  const secret = containerSecretName(service, container);
  const subdomain = publicSubdomain(container);
  const base = {
    role: container.role,
    address: container.address,
    autoStart: container.autoStart,
    limits: { memoryHigh: container.limits.memoryHigh ?? null, memoryMax: container.limits.memoryMax ?? null, cpuQuota: container.limits.cpuQuota ?? null },
    secretFileName: secret ?? null,
    ...(secret ? { secretHowTo: containerSecretAdvice(stack, container, secret) } : {}),
    publicName: subdomain === undefined ? null : `${subdomain}.${service.domain}`,
    nodeExporterPort: CONTAINER_NODE_EXPORTER_PORT,
  };
  switch (container.role) {
    case "data":
      return {
        ...base,
        postgresql: container.postgresql ? { port: container.postgresql.port, databases: container.postgresql.databases, settings: container.postgresql.settings } : null,
        redis: container.redis ? { port: container.redis.port } : null,
        nats: container.nats ? { port: container.nats.port, maxMemory: container.nats.maxMemory, maxFile: container.nats.maxFile } : null,
        qdrant: container.qdrant ? { httpPort: container.qdrant.httpPort, grpcPort: container.qdrant.grpcPort } : null,
        clientAddresses: dataClients(service, container).map((a) => a.address),
      };
    case "app":
      return { ...base, command: container.command, port: container.port ?? null, environment: container.environment };
    case "monitoring": {
      const m = containerMonitoringService(service, container);
      return {
        ...base,
        port: m.grafanaPort,
        monitoring: {
          domain: `${m.subdomain}.${m.domain}`,
          acmeEmail: m.acmeEmail,
          acmeAcceptTerms: m.acmeAcceptTerms,
          prometheusPort: m.prometheusPort,
          grafanaPort: m.grafanaPort,
          nodeExporterPort: CONTAINER_NODE_EXPORTER_PORT,
          retention: m.retention,
          alerting: m.alerting,
          scrapeTargets: [...new Set([...m.scrapeTargets, ...scrapeTargets])].sort(),
          scrapeSecrets: containerScrapeSecrets(service),
        },
      };
    }
  }
}

/** The `stack.containers` value of a host's managed default.nix (a host runs one containers service). */
export function containersHostOptions(stack: Stack, host: Host) {
  const [service] = containerServices(host);
  if (!service) return {};
  const scrapeTargets = containerScrapeTargets(service);
  return {
    containers: {
      subnet: service.subnet,
      hostAddress: hostAddressOf(service),
      externalInterface: service.externalInterface,
      acmeEmail: service.acmeEmail,
      acmeAcceptTerms: service.acmeAcceptTerms,
      nodeExporterPort: CONTAINER_NODE_EXPORTER_PORT,
      instances: Object.fromEntries(service.containers.map((c) => [c.name, containerOptions(stack, service, c, scrapeTargets)])),
    },
  };
}

/**
 * Whether a Prometheus scrapes the host's containers, so the data containers run their services'
 * exporters (modules/services/container-exporters.nix, `scraper`): a monitoring container, or
 * the host's own monitoring service (modules/services/container-metrics.nix).
 */
export function containersScraped(host: Host, service: ContainersService): boolean {
  return service.containers.some((c) => c.role === "monitoring") || host.services.some((s) => s.kind === "monitoring");
}

/** One row per container for the docs and the health check: what runs where. */
export function containerRows(stack: Stack, host: Host) {
  return containerServices(host).flatMap((service) =>
    service.containers.map((c) => {
      const secret = containerSecretName(service, c);
      return {
        host: host.name,
        name: c.name,
        role: c.role,
        address: c.address,
        units: containerUnits(c, containersScraped(host, service)),
        ports: containerPorts(c),
        publicName: publicSubdomain(c) === undefined ? undefined : `${publicSubdomain(c)}.${service.domain}`,
        secret: secret ? { name: secret, ...secretHowTo(stack, secret) } : undefined,
      };
    }),
  );
}

/**
 * The systemd units a container runs (checked by health-check.sh with systemctl -M): with
 * `scraped`, a data container's exporters too (modules/services/container-exporters.nix), and
 * the oneshot that sets PostgreSQL's role passwords (active once it has set them).
 */
export function containerUnits(c: Container, scraped = false): string[] {
  const units: string[] = [];
  if (c.role === "data") {
    if (c.postgresql) units.push("postgresql.service");
    if (c.postgresql && c.postgresql.databases.length > 0) units.push("postgresql-passwords.service");
    if (c.redis) units.push(`redis-${c.name}.service`);
    if (c.nats) units.push("nats.service");
    if (c.qdrant) units.push("qdrant.service");
    if (scraped && c.postgresql) units.push("prometheus-postgres-exporter.service");
    if (scraped && c.redis) units.push("prometheus-redis-exporter.service");
    if (scraped && c.nats) units.push("prometheus-nats-exporter.service");
  }
  if (c.role === "app") units.push(`${c.name}.service`);
  if (c.role === "monitoring") units.push("prometheus.service", "grafana.service");
  units.push("prometheus-node-exporter.service");
  return units;
}

/** The TCP ports a container answers on at its address. */
export function containerPorts(c: Container): number[] {
  const ports: number[] = [CONTAINER_NODE_EXPORTER_PORT];
  if (c.role === "data") {
    if (c.postgresql) ports.push(c.postgresql.port);
    if (c.redis) ports.push(c.redis.port);
    if (c.nats) ports.push(c.nats.port);
    if (c.qdrant) ports.push(c.qdrant.httpPort, c.qdrant.grpcPort);
  }
  if (c.role === "app" && c.port !== undefined) ports.push(c.port);
  if (c.role === "monitoring") ports.push(c.prometheusPort, c.grafanaPort);
  return [...new Set(ports)].sort((a, b) => a - b);
}

/** The checks scripts/health-check.sh runs for a host, as the shell function and its arguments. */
export function healthChecks(stack: Stack, host: Host): string[][] {
  const rows = containerRows(stack, host);
  // each data container's PostgreSQL: a login role without a password (pg_authid) is reported
  const pgRoles = containerServices(host).flatMap((s) => s.containers.flatMap((c) => (c.role === "data" && c.postgresql ? [["check_pg_roles", c.name, String(c.postgresql.port)]] : [])));
  return [
    ...rows.flatMap((r) => [["check_container", r.name], ...r.units.map((u) => ["check_unit", r.name, u]), ...r.ports.map((p) => ["check_port", r.name, r.address, String(p)])]),
    ...pgRoles,
    ...rows.flatMap((r) => (r.publicName ? [["check_cert", r.publicName]] : [])),
    ...host.services.flatMap((s) => (s.kind === "backup" ? [["check_backup", s.name]] : [])),
  ];
}

/**
 * Where each app container's own files live as the host sees them: its StateDirectory under the
 * container's root (DynamicUser: /var/lib/<name> is a link to /var/lib/private/<name>, systemd.exec(5)).
 * The app is deployed there outside Nix (docs/services/containers.md).
 */
export function appStateDirs(service: ContainersService): { name: string; stateDir: string }[] {
  return service.containers.filter((c) => c.role === "app").map((c) => ({ name: c.name, stateDir: `/var/lib/nixos-containers/${c.name}/var/lib/private/${c.name}` }));
}

export function usesContainers(stack: Stack): boolean {
  return stack.hosts.some((h) => containerServices(h).length > 0);
}

/** The containers module, its docs and the health check. */
export const containersFeature: Feature = {
  id: "containers",
  applies: usesContainers,
  files: (stack: Stack) => {
    const hosts = stack.hosts.filter((h) => containerServices(h).length > 0).map((h) => ({ host: h.name, sshPort: h.deploy.sshPort, service: containerServices(h)[0]!, hostAddress: hostAddressOf(containerServices(h)[0]!), rows: containerRows(stack, h), apps: appStateDirs(containerServices(h)[0]!), checks: healthChecks(stack, h) }));
    return [
      { path: "modules/services/containers.nix", template: "modules/services/containers.nix", ownership: "managed" },
      { path: "modules/services/container-metrics.nix", template: "modules/services/container-metrics.nix", ownership: "managed" },
      { path: "modules/services/container-exporters.nix", template: "modules/services/container-exporters.nix", ownership: "managed" },
      // written by the monitoring kind when it runs anywhere in the repo (a monitoring container included)
      { path: "docs/services/containers.md", template: "docs/services/containers.md", ownership: "managed", context: { hosts } },
      { path: "scripts/health-check.sh", template: "scripts/health-check.sh", ownership: "managed", executable: true, context: { hosts } },
    ];
  },
};
