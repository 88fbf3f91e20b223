/**
 * The registry of service kinds. Adding a kind is local: write its schema in a
 * file beside this one and list it here; the manifest, the JSON Schema and the
 * validation messages pick it up.
 */
import * as z from "zod";
import { gatewayService } from "./gateway.js";

export const serviceSchema = z.discriminatedUnion("kind", [gatewayService]);
export type Service = z.infer<typeof serviceSchema>;
export type ServiceKind = Service["kind"];
export type ServiceOf<K extends ServiceKind> = Extract<Service, { kind: K }>;

export { gatewayService, type GatewayService } from "./gateway.js";
