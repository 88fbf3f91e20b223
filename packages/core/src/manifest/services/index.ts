/**
 * The registry of service kinds. Adding a kind is local: write its schema (and the list
 * of its port fields) in a file beside this one and list it here; the manifest, the JSON
 * Schema, the validation messages and the port-clash check pick it up.
 */
import * as z from "zod/mini";
import { builtOnce } from "../built-once.js";
import { backupPortFields, backupService } from "./backup.js";
import { containersPortFields, containersService } from "./containers.js";
import { gatewayPortFields, gatewayService } from "./gateway.js";
import { homeService, homeServicePortFields } from "./home-service.js";
import { monitoringPortFields, monitoringService } from "./monitoring.js";
import { nodeAppAccount, nodeAppPortFields, nodeAppService } from "./node-app.js";
import { portsIn, type PortFields, type PortUse } from "./port-fields.js";
import { webAppPorts, webAppService } from "./web-app.js";

/** The kinds' schemas (each a lazy: built when a manifest first has a service of its kind, rules.ts: lazyKind), in the union's order. */
const serviceSchemas = () => [gatewayService(), monitoringService(), backupService(), homeService(), nodeAppService(), webAppService(), containersService()] as const;
type ServiceSchemas = ReturnType<typeof serviceSchemas>;
type Built<T> = { -readonly [I in keyof T]: T[I] extends z.ZodMiniLazy<infer S> ? S : T[I] };
/**
 * The kinds' schemas, tagged by `kind`; `.options` lists them built, as on classic zod's unions
 * (zod/mini keeps them in `_zod.def.options` only).
 */
export const serviceSchema = builtOnce(() => {
  const schemas = serviceSchemas();
  return Object.defineProperty(z.discriminatedUnion("kind", schemas), "options", {
    get: () => schemas.map((schema) => ("innerType" in schema._zod ? schema._zod.innerType : schema)),
  }) as z.ZodMiniDiscriminatedUnion<ServiceSchemas> & { readonly options: Built<ServiceSchemas> };
});
export type Service = z.infer<ReturnType<typeof serviceSchema>>;
export type ServiceKind = Service["kind"];
export type ServiceOf<K extends ServiceKind> = Extract<Service, { kind: K }>;

/** Every kind must say which of its fields are ports (an empty list when it listens on none), or list its ports itself. */
const SERVICE_PORT_FIELDS: { [K in ServiceKind]: PortFields<ServiceOf<K>> | ((service: ServiceOf<K>) => PortUse[]) } = {
  gateway: gatewayPortFields,
  monitoring: monitoringPortFields,
  backup: backupPortFields,
  "home-service": homeServicePortFields,
  "node-app": nodeAppPortFields,
  "web-app": webAppPorts,
  containers: containersPortFields,
};

/** The system user a service runs as (a kind with its own user account says which), or none. */
export function serviceUser(service: Service): string | undefined {
  switch (service.kind) {
    case "gateway":
      return service.user;
    case "node-app":
      return nodeAppAccount(service).user;
    default:
      return "user" in service && typeof service.user === "string" ? service.user : undefined;
  }
}

/** The ports a service listens on, each with its path under the service. */
export function servicePorts(service: Service): PortUse[] {
  const fields = SERVICE_PORT_FIELDS[service.kind];
  return typeof fields === "function" ? (fields as (s: Service) => PortUse[])(service) : portsIn(service, fields as PortFields<Service>);
}

export { backupService, borgRepositoryHost, knownHostNames, type BackupService } from "./backup.js";
export { containerName, containersService, dataClients, hostAddressOf, publicSubdomain, type Container, type ContainersService } from "./containers.js";
export { gatewayService, type GatewayService } from "./gateway.js";
export { homeService, type HomeService } from "./home-service.js";
export { monitoringService, type MonitoringService } from "./monitoring.js";
export { nodeAppAccount, nodeAppService, NODE_APP_SECRET_KEYS, NODE_APP_SETTING_KEYS, type NodeAppService } from "./node-app.js";
export type { PortUse } from "./port-fields.js";
export { webAppService, webAppUser, type WebAppService, type WebAppInstance } from "./web-app.js";
