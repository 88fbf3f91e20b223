/**
 * The `node-app` service kind: a Node.js app (the seed: a Discord/LLM bot) built with
 * buildNpmPackage and run as a hardened system service, with an optional one-shot companion
 * (`<name>-deploy`, e.g. registering slash commands). Per app name (one per repo, the schema
 * refuses two different apps of one name): its managed module, its package recipe (yours,
 * written once), its docs, and for a local source a folder under apps/.
 */
import { NixFloat, NODE_APP_SETTING_KEYS, nodeAppAccount, type Feature, type FileSpec, type Host, type NixValue, type NodeAppService, type Stack } from "@nixos-stack/core";

export function nodeApps(host: Host): NodeAppService[] {
  return host.services.filter((s): s is NodeAppService => s.kind === "node-app");
}

/** Every node-app of the repo's hosts, once per name, with the hosts running it. */
export function stackNodeApps(stack: Stack): Array<{ app: NodeAppService; hosts: string[] }> {
  const byName = new Map<string, { app: NodeAppService; hosts: string[] }>();
  for (const host of stack.hosts) {
    for (const app of nodeApps(host)) {
      const entry = byName.get(app.name) ?? { app, hosts: [] };
      entry.hosts.push(host.name);
      byName.set(app.name, entry);
    }
  }
  return [...byName.values()].sort((a, b) => (a.app.name < b.app.name ? -1 : 1));
}

/** The flake input of an app fetched from GitHub (flake = false: a plain source tree). */
export interface AppSourceInput {
  name: string;
  url: string;
}

const GIT_REV = /^[0-9a-f]{40}$/;

/**
 * Pure: `github:owner/repo`, pinned to a ref or rev when the manifest says so. A ref with a
 * '/' goes in the query (`?ref=`), since the path form reads only one segment as the ref
 * (nix flake --help, "github": `github:owner/repo/ref-or-rev`).
 */
export function appSourceInput(app: NodeAppService): AppSourceInput | undefined {
  if (!("github" in app.source)) return undefined;
  const { github, ref } = app.source;
  const url = ref === undefined ? `github:${github}` : GIT_REV.test(ref) ? `github:${github}?rev=${ref}` : ref.includes("/") ? `github:${github}?ref=${ref}` : `github:${github}/${ref}`;
  return { name: `${app.name}-src`, url };
}

export function stackAppSourceInputs(stack: Stack): AppSourceInput[] {
  return stackNodeApps(stack).flatMap(({ app }) => appSourceInput(app) ?? []);
}

/** An app's source as modules/services/<name>.nix sees it: a flake input, or a path from modules/services/. */
function sourceContext(app: NodeAppService): { sourceInput: string | null; sourcePath: string | null } {
  const input = appSourceInput(app);
  if (input) return { sourceInput: input.name, sourcePath: null };
  return { sourceInput: null, sourcePath: `../.${(app.source as { path: string }).path}` };
}

/** The values a host's default.nix sets under `services.<name>` for one app (its module declares them). */
export function nodeAppHostOptions(app: NodeAppService): Record<string, NixValue> {
  const { temperature, ...settings } = app.settings;
  return {
    enable: true,
    ...(app.user !== undefined ? { user: app.user } : {}),
    ...(app.group !== undefined ? { group: app.group } : {}),
    // a float in Nix even when the manifest's JSON says 1 (lib.types.float refuses an int)
    settings: { ...settings, ...(temperature !== undefined ? { temperature: new NixFloat(temperature) } : {}) },
    // the variable names the app reads for its settings (nixos-stack.json: env); the secrets'
    // names are only the docs' (the lines of the secrets file, which the operator writes)
    envNames: Object.fromEntries(NODE_APP_SETTING_KEYS.map((k) => [k, app.env[k]])),
    ...(Object.keys(app.environment).length ? { environment: app.environment } : {}),
    memoryMax: app.memoryMax,
    tasksMax: app.tasksMax,
    companion: app.companion ? { enable: app.companion.enable, script: app.companion.script } : { enable: false },
  };
}


function appFiles(stack: Stack, app: NodeAppService, hosts: string[]): FileSpec[] {
  const files: FileSpec[] = [
    {
      path: `modules/services/${app.name}.nix`,
      template: "services/node-app/module.nix",
      ownership: "managed",
      context: { app, ...sourceContext(app), packagePath: `../../pkgs/${app.name}`, backend: stack.secrets.backend },
    },
    {
      path: `pkgs/${app.name}/default.nix`,
      template: "services/node-app/package.nix",
      ownership: "scaffold",
      context: { app, host: hosts[0], npmDepsHash: app.npmDepsHash ?? null, build: app.build, description: `${app.name} (Node.js app)` },
    },
    {
      path: `docs/services/${app.name}.md`,
      template: "services/node-app/docs.md",
      ownership: "managed",
      context: {
        app,
        hosts,
        host: hosts[0],
        companion: app.companion?.enable ?? false,
        user: nodeAppAccount(app).user,
        chatEndpointUrl: app.settings.chatEndpointUrl ?? null,
        sourceUrl: appSourceInput(app)?.url ?? null,
        sourcePath: "path" in app.source ? app.source.path : null,
        envFile: `/etc/${stack.name}/secrets/${app.name}.env`,
        envDir: `/etc/${stack.name}/secrets`,
        backend: stack.secrets.backend,
        envFileBackend: stack.secrets.backend === "env-file",
        agenix: stack.secrets.backend === "agenix",
        sops: stack.secrets.backend === "sops",
      },
    },
  ];
  if ("path" in app.source) files.push({ path: `${app.source.path.slice(2)}/README.md`, template: "services/node-app/app-readme.md", ownership: "scaffold", context: { app } });
  return files;
}

export const nodeAppFeature: Feature = {
  id: "node-app",
  applies: (stack) => stackNodeApps(stack).length > 0,
  files: (stack) => [
    ...stackNodeApps(stack).flatMap(({ app, hosts }) => appFiles(stack, app, hosts)),
  ],
};
