import type { Feature, Stack } from "@nixos-stack/core";
import { hasService } from "./context.js";
import { secretHowTo } from "./secret-howto.js";
import { hostStatefulPaths } from "./stateful-paths.js";

/** BorgBackup jobs of every stateful path, and the backup and restore procedure. */
export const backupServiceFeature: Feature = {
  id: "backup-service",
  applies: (stack) => stack.hosts.some((h) => hasService(h, "backup")),
  files: (stack: Stack) => {
    const jobs = stack.hosts.flatMap((h) =>
      h.services.flatMap((s) => (s.kind === "backup" ? [{ host: h.name, service: s, paths: [...new Set([...hostStatefulPaths(stack, h), ...s.paths])].sort(), secret: secretHowTo(stack, s.name) }] : [])),
    );
    return [
      { path: "modules/services/backup.nix", template: "modules/services/backup.nix", ownership: "managed" },
      { path: "docs/services/backup.md", template: "docs/services/backup.md", ownership: "managed", context: { jobs } },
    ];
  },
};
