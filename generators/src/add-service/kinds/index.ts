/** The kinds add-service offers: one line per kind, its questions in its own file. */
import { backupPrompts } from "./backup.js";
import { gatewayPrompts } from "./gateway.js";
import { homeServicePrompts } from "./home-service.js";
import { monitoringPrompts } from "./monitoring.js";
import type { ServiceKindPrompts } from "./kind.js";
import { nodeAppPrompts } from "./node-app.js";
import { webAppPrompts } from "./web-app.js";

export const SERVICE_KIND_PROMPTS: readonly ServiceKindPrompts[] = [gatewayPrompts, monitoringPrompts, backupPrompts, homeServicePrompts, nodeAppPrompts, webAppPrompts];

export function kindPrompts(kind: string): ServiceKindPrompts {
  const found = SERVICE_KIND_PROMPTS.find((k) => k.kind === kind);
  if (!found) throw new Error(`"${kind}" is not a service kind; the kinds are ${SERVICE_KIND_PROMPTS.map((k) => k.kind).join(", ")}`);
  return found;
}

export type { KindField, ServiceKindPrompts } from "./kind.js";
