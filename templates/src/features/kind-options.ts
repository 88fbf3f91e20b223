/** The `stack.*` values of the monitoring, backup and home-service kinds and of host tuning (hosts/<name>/default.nix). */
import { borgRepositoryHost, knownHostNames, tuningSysctls, type Host, type Stack } from "@nixos-stack/core";
import { envSecretFile } from "./secret-howto.js";
import { hostBackupPrep, hostScrapeSecrets, hostScrapeTargets, hostStatefulPaths } from "../kinds/registry.js";

/** The `stack.*` values of the monitoring, backup and home-service kinds and of the host's tuning. */
export function serviceKindOptions(stack: Stack, host: Host) {
  const monitoring = host.services.flatMap((s) => (s.kind === "monitoring" ? [s] : []));
  const backups = host.services.flatMap((s) => (s.kind === "backup" ? [s] : []));
  const homeServices = host.services.flatMap((s) => (s.kind === "home-service" ? [s] : []));
  const scrapeTargets = hostScrapeTargets(stack, host);
  const statefulPaths = hostStatefulPaths(stack, host);
  const backupPrep = hostBackupPrep(stack, host);
  return {
    ...(monitoring.length
      ? {
          monitoring: {
            instances: Object.fromEntries(
              monitoring.map((m) => [
                m.name,
                {
                  domain: `${m.subdomain}.${m.domain}`,
                  acmeEmail: m.acmeEmail,
                  acmeAcceptTerms: m.acmeAcceptTerms,
                  prometheusPort: m.prometheusPort,
                  grafanaPort: m.grafanaPort,
                  nodeExporterPort: m.nodeExporterPort,
                  retention: m.retention,
                  scrapeTargets: [...new Set([...m.scrapeTargets, ...scrapeTargets])].sort(),
                  alerting: m.alerting,
                  scrapeSecrets: hostScrapeSecrets(stack, host),
                  envSecretsFile: envSecretFile(stack, m.name),
                },
              ]),
            ),
          },
        }
      : {}),
    ...(backups.length
      ? {
          backup: {
            jobs: Object.fromEntries(
              backups.map((b) => [
                b.name,
                {
                  repository: b.repository,
                  schedule: b.schedule,
                  compression: b.compression,
                  keep: b.keep,
                  paths: [...new Set([...statefulPaths, ...b.paths])].sort(),
                  exclude: [...new Set([...backupPrep.exclude, ...b.exclude])].sort(),
                  dumps: backupPrep.dumps,
                  ...(b.sshKey ? { sshKey: b.sshKey } : {}),
                  ...knownHostOf(b.repository, b.repositoryHostKey),
                  envSecretsFile: envSecretFile(stack, b.name),
                },
              ]),
            ),
          },
        }
      : {}),
    ...(homeServices.length
      ? { homeServices: { instances: Object.fromEntries(homeServices.map((h) => [h.name, { user: h.user, command: h.command, port: h.port ?? null, description: h.description ?? `${h.name} (home-manager user service)` }])) } }
      : {}),
    ...(host.tuning ? { tuning: { sysctl: tuningSysctls(host.tuning), nofile: host.tuning.nofile ?? null } } : {}),
  };
}



/** The job's pinned repository host key (programs.ssh.knownHosts), for an SSH repository. */
function knownHostOf(repository: string, publicKey: string | undefined) {
  const remote = borgRepositoryHost(repository);
  return remote && publicKey ? { knownHost: { hostNames: knownHostNames(remote), publicKey } } : {};
}
