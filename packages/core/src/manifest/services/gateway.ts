import * as z from "zod/mini";
import { DEFAULTS } from "../defaults.js";
import { kindTag, lazyKind, port, serviceName, userName } from "../rules.js";
import type { PortFields } from "./port-fields.js";

/**
 * A gateway-style process run by home-manager as a user service of its own
 * service user: bound to 127.0.0.1, secrets read from a file in that user's home,
 * lingering so it starts at boot.
 * Built on first use (rules.ts: lazyKind).
 */
export const gatewayService = lazyKind("gateway", () => {
  return z.strictObject({
    kind: kindTag("gateway"),
    name: z._default(serviceName(), DEFAULTS.gateway.name),
    user: z._default(userName(), DEFAULTS.gateway.user),
    // an unprivileged user cannot bind below net.ipv4.ip_unprivileged_port_start (1024 by default)
    port: z._default(port().check(z.gte(1024, "is below 1024, which an unprivileged user service cannot listen on: use 1024–65535")), DEFAULTS.gateway.port),
  });
});
export type GatewayService = z.infer<ReturnType<typeof gatewayService>>;

export const gatewayPortFields = ["port"] as const satisfies PortFields<GatewayService>;
