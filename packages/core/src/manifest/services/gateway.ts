import * as z from "zod";
import { port, serviceName, userName } from "../rules.js";

/**
 * A gateway-style process run by home-manager as a user service of its own
 * service user: bound to 127.0.0.1, secrets read from a file in that user's home,
 * lingering so it starts at boot.
 */
export const gatewayService = z.strictObject({
  kind: z.literal("gateway"),
  name: serviceName.default("gateway"),
  user: userName.default("gateway"),
  port: port.default(18789),
});
export type GatewayService = z.infer<typeof gatewayService>;
