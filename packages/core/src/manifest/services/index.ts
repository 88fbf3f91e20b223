/**
 * The registry of service kinds. Adding a kind is local: write its schema (and the list
 * of its port fields) in a file beside this one and list it here; the manifest, the JSON
 * Schema, the validation messages and the port-clash check pick it up.
 */
import * as z from "zod";
import { gatewayPortFields, gatewayService } from "./gateway.js";
import { portsIn, type PortFields, type PortUse } from "./port-fields.js";

export const serviceSchema = z.discriminatedUnion("kind", [gatewayService]);
export type Service = z.infer<typeof serviceSchema>;
export type ServiceKind = Service["kind"];
export type ServiceOf<K extends ServiceKind> = Extract<Service, { kind: K }>;

/** Every kind must say which of its fields are ports (an empty list when it listens on none). */
const SERVICE_PORT_FIELDS: { [K in ServiceKind]: PortFields<ServiceOf<K>> } = {
  gateway: gatewayPortFields,
};

/** The ports a service listens on, each with its path under the service. */
export function servicePorts(service: Service): PortUse[] {
  return portsIn(service, SERVICE_PORT_FIELDS[service.kind] as PortFields<Service>);
}

export { gatewayService, type GatewayService } from "./gateway.js";
export type { PortUse } from "./port-fields.js";
