/** The gateway kind's questions (schema: packages/core/src/manifest/services/gateway.ts). Unanswered: the schema's defaults. */
import { parseInteger, type ServiceKindPrompts } from "./kind.js";

export const gatewayPrompts: ServiceKindPrompts = {
  kind: "gateway",
  description: "a gateway-style process run by home-manager as its own user's service, on 127.0.0.1",
  fields: [
    { name: "user", flag: "--user", message: "Its unprivileged system user (default: gateway):", parse: (text) => text.trim() },
    { name: "port", flag: "--port", message: "The port it listens on, 1024–65535 (default: 18789):", parse: parseInteger },
  ],
};
