/**
 * The `containers` kind: declarative nixos-containers on one host, each with its own network
 * namespace (a veth pair ve-<name>, an address from the kind's subnet) and NAT to the uplink,
 * state under /var/lib/nixos-containers/<name>, resource limits on container@<name>.service,
 * and nginx with ACME on the host proxying the public names to them.
 *
 * Roles: `data` (PostgreSQL, Redis, NATS JetStream, Qdrant, each bound to the container's
 * address), `app` (the user's own service as a command) and `monitoring` (the monitoring kind
 * inside a container).
 */
import * as z from "zod/mini";
import { acmeAcceptTerms } from "../acme-terms.js";
import { dnsLabel, dnsName, email } from "../dns-name.js";
import { inSubnet, ipv4Address, ipv4Subnet, ipv4ToNumber, numberToIpv4, parseSubnet } from "../ipv4.js";
import { builtSchema, kindTag, lazyKind, NO_CONTROL_CHARS, port, serviceName } from "../rules.js";
import { monitoringService } from "./monitoring.js";
import type { PortFields } from "./port-fields.js";
import { builtOnce } from "../built-once.js";

/**
 * nixos/modules/virtualisation/nixos-containers.nix: a name with `_` fails an assertion, and
 * with privateNetwork the host's interface is ve-<name>, which must fit the kernel's 15-character
 * interface names (the module asserts ≤ 11 characters on kernels before 5.8). 11 is safe everywhere.
 */
export const CONTAINER_NAME = /^[a-z][a-z0-9-]{0,9}[a-z0-9]$|^[a-z]$/;
export const containerName = builtOnce(() => z
  .string()
  .check(z.regex(CONTAINER_NAME, "use lowercase letters, digits and '-', 1–11 characters, starting with a letter (nixos-containers: the host interface ve-<name> must fit 15 characters; no '_')")));

/**
 * postgresql.conf keys a data container's PostgreSQL already sets: NixOS' module defines these at
 * normal priority (nixos/modules/services/databases/postgresql.nix: hba_file and ident_file from
 * the module's own files, log_destination "stderr", listen_addresses), so a second value is a
 * conflicting definition and the host does not evaluate; the containers module sets the others.
 */
const POSTGRESQL_OWNED_SETTINGS: Record<string, string> = {
  hba_file: "NixOS writes pg_hba.conf from the container's roles (each database's role from the containers' subnet, scram-sha-256)",
  ident_file: "NixOS writes pg_ident.conf itself",
  log_destination: "NixOS logs to stderr, which the journal keeps (journalctl -M <container> -u postgresql)",
  listen_addresses: "the container's own address",
  port: "use postgresql.port",
};

export const containersService = lazyKind("containers", () => {
  /** systemd sizes (systemd.resource-control(5)): bytes with K, M, G or T. */
  const memorySize = z.string().check(z.regex(/^[1-9]\d{0,5}[KMGT]$/, "use a size such as 512M or 2G"));

  const limits = z.prefault(
    z.strictObject({
      /** MemoryHigh=: above this the container is throttled and reclaimed hard. */
      memoryHigh: z.optional(memorySize),
      /** MemoryMax=: the container's processes are OOM-killed above this. */
      memoryMax: z.optional(memorySize),
      /** CPUQuota=: 100% is one core. */
      cpuQuota: z.optional(z.string().check(z.regex(/^[1-9]\d{0,4}%$/, "use a percentage such as 50% or 200% (100% is one core)"))),
    }),
    {},
  );

  const common = {
    name: containerName(),
    /** The container's address (localAddress), inside the kind's subnet. */
    address: ipv4Address(),
    autoStart: z._default(z.boolean(), true),
    limits,
  };

  const postgresql = z.strictObject({
    port: z._default(port(), 5432),
    /** Each database gets a role of the same name that owns it (ensureDBOwnership). */
    databases: z._default(z.array(z.string().check(z.regex(/^[a-z_][a-z0-9_]{0,62}$/, "use lowercase letters, digits and '_', starting with a letter (a PostgreSQL name)"))), []),
    /** postgresql.conf values (services.postgresql.settings), such as shared_buffers = "1GB". */
    settings: z._default(
      z.record(
        z
          .string()
          .check(
            z.regex(/^[a-z_][a-z0-9_.]*$/, "use a postgresql.conf key such as shared_buffers"),
            z.refine((key) => !Object.hasOwn(POSTGRESQL_OWNED_SETTINGS, key), { error: (issue) => `${String(issue.input)} is set for you: ${POSTGRESQL_OWNED_SETTINGS[String(issue.input)]}` }),
          ),
        z.union([z.string().check(z.regex(NO_CONTROL_CHARS, "must be one line")), z.number(), z.boolean()]),
      ),
      {},
    ),
  });

  const dataContainer = z.strictObject({
    role: z.literal("data"),
    ...common,
    postgresql: z.optional(postgresql),
    /** Redis as the named server services.redis.servers.<container name>; never port 0 (no TCP). */
    redis: z.optional(z.strictObject({ port: z._default(port(), 6379) })),
    nats: z.optional(z.strictObject({ port: z._default(port(), 4222), maxMemory: z._default(memorySize, "256M"), maxFile: z._default(memorySize, "10G") })),
    qdrant: z.optional(z.strictObject({ httpPort: z._default(port(), 6333), grpcPort: z._default(port(), 6334) })),
    /**
     * The app containers (by name) that may connect to this container's data ports; the host may
     * always (health-check.sh, the VM test). Default: every app container of the service. Each
     * port is opened to these addresses only, in the container's own firewall.
     */
    clients: z.optional(z.array(containerName())),
  });

  const appContainer = z.strictObject({
    role: z.literal("app"),
    ...common,
    /** The command the service runs (ExecStart, run by a dynamic user); it reaches the data container by address. */
    command: z.string().check(z.minLength(1, "give the command that starts your service"), z.regex(NO_CONTROL_CHARS, "must be one line")),
    /** Where the service listens inside the container (PORT in its environment). */
    port: z.optional(port()),
    /** Served at <subdomain>.<domain> through the host's nginx (needs `port`). */
    subdomain: z.optional(dnsLabel()),
    environment: z._default(z.record(z.string().check(z.regex(/^[A-Z_][A-Z0-9_]*$/, "use an environment variable name such as DATABASE_URL")), z.string().check(z.regex(NO_CONTROL_CHARS, "must be one line"))), {}),
    /** Read a dotenv secret file from the secrets backend (EnvironmentFile). */
    secrets: z._default(z.boolean(), false),
  });

  const monitoringContainer = z.strictObject({
    role: z.literal("monitoring"),
    ...common,
    ...z.omit(builtSchema(monitoringService()), { kind: true, name: true, domain: true, acmeEmail: true, acmeAcceptTerms: true }).shape,
  });

  const containerSchema = z.discriminatedUnion("role", [dataContainer, appContainer, monitoringContainer]);

  return z
    .strictObject({
      kind: kindTag("containers"),
      name: z._default(serviceName(), "containers"),
      /** The containers' subnet; the host's side of every veth pair is its first address unless hostAddress says otherwise. */
      subnet: z._default(ipv4Subnet(), "10.233.1.0/24"),
      hostAddress: z.optional(ipv4Address()),
      /** The uplink the containers' traffic is NATed to (networking.nat.externalInterface), such as eth0 or ens3. */
      externalInterface: z.string().check(z.regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,14}$/, "use the host's uplink interface name such as eth0 or ens3 (`ip route show default`)")),
      /** Public names are <subdomain>.<domain>, with ACME certificates. */
      domain: dnsName(),
      acmeEmail: email(),
      /** The operator accepts the ACME CA's terms (only `true`: the answer is theirs, not a default). */
      acmeAcceptTerms: acmeAcceptTerms(),
      containers: z.array(containerSchema).check(z.minLength(1, "list at least one container")),
    })
    .check(z.superRefine((service, ctx) => {
      const subnet = parseSubnet(service.subnet);
      if (!subnet) return;
      const host = hostAddressOf(service);
      const hostNumber = ipv4ToNumber(host);
      if (service.hostAddress !== undefined && hostNumber !== undefined && !inSubnet(subnet, hostNumber))
        ctx.addIssue({ code: "custom", path: ["hostAddress"], input: service.hostAddress, message: `is outside subnet ${service.subnet}; pick an address inside it` });
      const names = new Map<string, number>();
      const addresses = new Map<number, string>(hostNumber === undefined ? [] : [[hostNumber, "the host's address (hostAddress)"]]);
      const subdomains = new Map<string, number>();
      service.containers.forEach((c, i) => {
        const first = names.get(c.name);
        if (first !== undefined) ctx.addIssue({ code: "custom", path: ["containers", i, "name"], input: c.name, message: `is already the name of containers[${first}]; container names must be unique` });
        else names.set(c.name, i);
        const n = ipv4ToNumber(c.address);
        if (n === undefined) return;
        if (!inSubnet(subnet, n)) ctx.addIssue({ code: "custom", path: ["containers", i, "address"], input: c.address, message: `is outside subnet ${service.subnet} (${numberToIpv4(subnet.first)}–${numberToIpv4(subnet.last)}); pick an address inside it` });
        else if (addresses.has(n)) ctx.addIssue({ code: "custom", path: ["containers", i, "address"], input: c.address, message: `is already ${addresses.get(n)}; each container needs its own address` });
        else addresses.set(n, `the address of containers[${i}]`);
        const sub = publicSubdomain(c);
        if (sub !== undefined) {
          const taken = subdomains.get(sub);
          if (taken !== undefined) ctx.addIssue({ code: "custom", path: ["containers", i, "subdomain"], input: sub, message: `is already the subdomain of containers[${taken}]; pick another` });
          else subdomains.set(sub, i);
        }
        if (c.role === "app" && c.subdomain !== undefined && c.port === undefined) ctx.addIssue({ code: "custom", path: ["containers", i, "port"], message: "is needed to serve the container at its subdomain: the port the command listens on" });
        if (c.role === "data" && !c.postgresql && !c.redis && !c.nats && !c.qdrant) ctx.addIssue({ code: "custom", path: ["containers", i, "role"], input: c.role, message: "runs nothing: add postgresql, redis, nats or qdrant (each {} for its defaults)" });
      });
      const apps = new Set(service.containers.filter((c) => c.role === "app").map((c) => c.name));
      service.containers.forEach((c, i) => {
        if (c.role !== "data" || c.clients === undefined) return;
        const seen = new Set<string>();
        c.clients.forEach((client, j) => {
          if (seen.has(client)) ctx.addIssue({ code: "custom", path: ["containers", i, "clients", j], input: client, message: "is listed twice" });
          else if (!apps.has(client)) ctx.addIssue({ code: "custom", path: ["containers", i, "clients", j], input: client, message: `is not an app container of this service (its app containers: ${[...apps].join(", ") || "none"})` });
          seen.add(client);
        });
      });
    }));
});
export type ContainersService = z.infer<ReturnType<typeof containersService>>;
export type Container = ContainersService["containers"][number];

/** The host's side of every veth pair: hostAddress, or the subnet's first address. */
// typed by shape, not by ContainersService: the schema's builder calls it, and the type is inferred from the builder
export function hostAddressOf(service: { subnet: string; hostAddress?: string | undefined }): string {
  if (service.hostAddress !== undefined) return service.hostAddress;
  const subnet = parseSubnet(service.subnet);
  return subnet ? numberToIpv4(subnet.first) : "";
}

/** The subdomain a container is served at through the host's nginx, if any. */
// typed by shape, as hostAddressOf is (a data container has no subdomain)
export function publicSubdomain(container: { role: "data" | "app" | "monitoring"; subdomain?: string | undefined }): string | undefined {
  return container.role === "data" ? undefined : container.subdomain;
}

/**
 * The app containers that may connect to a data container's ports: its `clients`, by default
 * every app container of the service, in the service's order.
 */
export function dataClients(service: Pick<ContainersService, "containers">, container: Extract<Container, { role: "data" }>): Array<Extract<Container, { role: "app" }>> {
  const apps = service.containers.flatMap((c) => (c.role === "app" ? [c] : []));
  return container.clients === undefined ? apps : apps.filter((a) => container.clients!.includes(a.name));
}

/** The containers' ports are in their own network namespaces: none of them is the host's. */
export const containersPortFields = [] as const satisfies PortFields<ContainersService>;
