import type { Feature, Stack } from "@nixos-stack/core";
import { hasService } from "./context.js";
import { secretHowTo } from "./secret-howto.js";
import { hostBackupPrep, hostStatefulPaths } from "../kinds/registry.js";

/**
 * What the restore drill brings back and how it checks it: the first database dump of the host
 * (a data container's pg_dumpall), else Grafana's SQLite database (services.grafana.dataDir
 * /var/lib/grafana, database data/grafana.db: grafana.nix), else the first path as it is.
 */
function drillOf(paths: string[], dumps: { machine: string | null; unit: string }[]): { path: string; postgres?: boolean; grafana?: boolean } {
  const pg = dumps.find((d) => d.unit === "postgresqlBackup.service" && d.machine !== null);
  if (pg) return { path: `var/lib/nixos-containers/${pg.machine}/var/backup/postgresql`, postgres: true };
  if (paths.includes("/var/lib/grafana")) return { path: "var/lib/grafana", grafana: true };
  return { path: (paths[0] ?? "/etc").replace(/^\//, "") };
}

/** BorgBackup jobs of every stateful path, and the backup and restore procedure. */
export const backupServiceFeature: Feature = {
  id: "backup-service",
  applies: (stack) => stack.hosts.some((h) => hasService(h, "backup")),
  files: (stack: Stack) => {
    const jobs = stack.hosts.flatMap((h) =>
      h.services.flatMap((s) => {
        if (s.kind !== "backup") return [];
        const paths = [...new Set([...hostStatefulPaths(stack, h), ...s.paths])].sort();
        const prep = hostBackupPrep(stack, h);
        return [{ host: h.name, service: s, paths, exclude: [...new Set([...prep.exclude, ...s.exclude])].sort(), dumps: prep.dumps, drill: drillOf(paths, prep.dumps), secret: secretHowTo(stack, s.name) }];
      }),
    );
    return [
      { path: "modules/services/backup.nix", template: "modules/services/backup.nix", ownership: "managed" },
      { path: "docs/services/backup.md", template: "docs/services/backup.md", ownership: "managed", context: { jobs, hasDumps: jobs.some((j) => j.dumps.length > 0) } },
    ];
  },
};
