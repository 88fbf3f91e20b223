import type { Feature } from "@nixos-stack/core";
import { hasService } from "./context.js";

/** Generic home-manager user services (the gateway kind without its placeholder program). */
export const homeServiceFeature: Feature = {
  id: "home-service",
  applies: (stack) => stack.hosts.some((h) => hasService(h, "home-service")),
  files: () => [{ path: "modules/services/home-service.nix", template: "modules/services/home-service.nix", ownership: "managed" }],
};
