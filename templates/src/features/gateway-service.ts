import type { Feature } from "@nixos-stack/core";
import { hasService } from "./context.js";

/** The home-manager user service for `gateway` services, and its placeholder program. */
export const gatewayServiceFeature: Feature = {
  id: "gateway-service",
  applies: (stack) => stack.hosts.some((h) => hasService(h, "gateway")),
  files: () => [
    { path: "modules/services/gateway.nix", template: "modules/services/gateway.nix", ownership: "managed" },
    { path: "modules/services/gateway-placeholder.js", template: "modules/services/gateway-placeholder.js", ownership: "managed" },
  ],
};
