/**
 * The web-app kind's files: per app, its module (managed), its backend recipe, placeholder
 * backend and shared frontend (the user's), and its docs; and what a host's default.nix sets
 * under services.<app> (instances, domain, ACME, PostgreSQL, backups).
 */
import { webAppUser, type Feature, type FileSpec, type Host, type NixValue, type Stack, type WebAppService } from "@nixos-stack/core";

export function webApps(host: Host): WebAppService[] {
  return host.services.flatMap((s) => (s.kind === "web-app" ? [s] : []));
}

/** Each app once, with the hosts that run it (the schema keeps a service name to one definition per host). */
export function stackWebApps(stack: Stack): Array<{ app: WebAppService; hosts: string[] }> {
  const byName = new Map<string, { app: WebAppService; hosts: string[] }>();
  for (const host of stack.hosts) {
    for (const app of webApps(host)) {
      const seen = byName.get(app.name);
      if (seen) seen.hosts.push(host.name);
      else byName.set(app.name, { app, hosts: [host.name] });
    }
  }
  return [...byName.values()];
}

/** The values a host's default.nix sets under `services.<app>` (its module declares them). */
export function webAppHostOptions(app: WebAppService): Record<string, NixValue> {
  return {
    enable: true,
    domain: app.domain,
    jit: app.jit,
    acme: { email: app.acmeEmail, acceptTerms: app.acmeAcceptTerms, staging: app.acmeStaging },
    postgresql: { enable: app.postgresql },
    backup: { enable: app.postgresql && app.backup.enable, schedule: app.backup.schedule, location: app.backup.location },
    instances: Object.fromEntries(
      app.instances.map((inst) => [
        inst.name,
        {
          port: inst.port,
          subdomain: inst.subdomain,
          ...(inst.user !== undefined ? { user: inst.user } : {}),
          // relative to the repo's root, where the module resolves it (../.. + "/<file>")
          ...(inst.initDocument !== undefined ? { initDocument: inst.initDocument.slice(2) } : {}),
          ...(inst.args.length ? { extraArgs: inst.args } : {}),
          ...(Object.keys(inst.environment).length ? { environment: inst.environment } : {}),
        },
      ]),
    ),
  };
}

function appFiles(stack: Stack, app: WebAppService, hosts: string[]): FileSpec[] {
  const context = {
    app,
    hosts,
    host: hosts[0],
    packagePath: `../../pkgs/${app.name}`,
    frontendPath: `../../pkgs/${app.name}/frontend`,
    instances: app.instances.map((inst) => ({ ...inst, user: webAppUser(app, inst), url: `https://${inst.subdomain}.${app.domain}`, secret: `${app.name}-${inst.name}` })),
    backend: stack.secrets.backend,
    agenix: stack.secrets.backend === "agenix",
    sops: stack.secrets.backend === "sops",
    envFileBackend: stack.secrets.backend === "env-file",
    envDir: `/etc/${stack.name}/secrets`,
  };
  // each initDocument named in the manifest starts as the user's placeholder, so the first
  // evaluation finds it (the module asserts that the file exists)
  const documents = [...new Set(app.instances.flatMap((inst) => (inst.initDocument ? [inst.initDocument.slice(2)] : [])))].sort();
  return [
    ...documents.map((path): FileSpec => ({ path, template: "services/web-app/init-document.sql", ownership: "scaffold", context })),
    { path: `modules/services/${app.name}.nix`, template: "services/web-app/module.nix", ownership: "managed", context },
    { path: `pkgs/${app.name}/default.nix`, template: "services/web-app/package.nix", ownership: "scaffold", context },
    { path: `pkgs/${app.name}/placeholder-server.js`, template: "services/web-app/placeholder-server.js", ownership: "scaffold", context },
    { path: `pkgs/${app.name}/frontend/index.html`, template: "services/web-app/frontend-index.html", ownership: "scaffold", context },
    { path: `docs/services/${app.name}.md`, template: "services/web-app/docs.md", ownership: "managed", context },
  ];
}

export const webAppFeature: Feature = {
  id: "web-app",
  applies: (stack) => stackWebApps(stack).length > 0,
  files: (stack) => stackWebApps(stack).flatMap(({ app, hosts }) => appFiles(stack, app, hosts)),
};
