/** The home-service kind's questions (schema: packages/core/src/manifest/services/home-service.ts). */
import { parseInteger, type ServiceKindPrompts } from "./kind.js";

export const homeServicePrompts: ServiceKindPrompts = {
  kind: "home-service",
  description: "any long-running command, run by home-manager as its own user's service (127.0.0.1)",
  fields: [
    { name: "user", flag: "--user", message: "Its unprivileged system user (required):", parse: (text) => text.trim() },
    { name: "command", flag: "--command", message: "The command that runs it, one line of bash (required):", parse: (text) => text.trim() },
    { name: "port", flag: "--port", message: "The port it listens on, 1024–65535 (default: none):", parse: parseInteger },
  ],
};
