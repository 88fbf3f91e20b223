import * as z from "zod";
import { DEFAULTS } from "../defaults.js";
import { port, serviceName, userName } from "../rules.js";
import type { PortFields } from "./port-fields.js";

/**
 * A gateway-style process run by home-manager as a user service of its own
 * service user: bound to 127.0.0.1, secrets read from a file in that user's home,
 * lingering so it starts at boot.
 */
export const gatewayService = z.strictObject({
  kind: z.literal("gateway"),
  name: serviceName.default(DEFAULTS.gateway.name),
  user: userName.default(DEFAULTS.gateway.user),
  // an unprivileged user cannot bind below net.ipv4.ip_unprivileged_port_start (1024 by default)
  port: port.min(1024, "is below 1024, which an unprivileged user service cannot listen on: use 1024–65535").default(DEFAULTS.gateway.port),
});
export type GatewayService = z.infer<typeof gatewayService>;

export const gatewayPortFields = ["port"] as const satisfies PortFields<GatewayService>;
