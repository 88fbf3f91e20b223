import * as z from "zod/mini";
import { DEFAULTS } from "../defaults.js";
import { kindTag, lazyKind, safeText, serviceName, userName } from "../rules.js";
import type { PortFields } from "./port-fields.js";

/** `owner/repo` on GitHub (the flake input `github:owner/repo`), optionally pinned to a ref or rev. */
const GITHUB_REPO = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/;
const GIT_REF = /^[A-Za-z0-9._\/-]{1,200}$/;

/** The files of the kinds with one module per repo (modules/services/<these>.nix, docs/services/<these>.md). */
const KIND_FILE_NAMES = ["gateway", "gateway-placeholder", "monitoring", "node-exporter", "backup", "home-service"];

/** Names that usually hold secrets: those belong in the secrets backend, never in the manifest. */
const SECRET_KEY = /(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE|CREDENTIAL)/i;
/** Values shaped like API keys (OpenAI-style `sk-…`, GitHub `ghp_…`, Slack `xox…`) or Discord bot tokens (three dot-separated base64 parts). */
const SECRET_VALUE = /^(sk-[A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|xox[abpr]-[A-Za-z0-9-]{10,}|[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{20,})$/;
/**
 * A URL with a user or password, or a query parameter named like a secret (`?api_key=…`). A value
 * that is no URL at all has none: the URL rule before this one has already refused it (zod runs
 * every check, so this one sees it too, and must not throw).
 */
function hasCredentials(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.username !== "" || u.password !== "" || [...u.searchParams.keys()].some((k) => SECRET_KEY.test(k) || /^key$/i.test(k));
}
const ENV_KEY = /^[A-Z_][A-Z0-9_]{0,63}$/;

/**
 * The name of an environment variable as a shell and systemd's Environment= accept it
 * (POSIX: letters, digits and '_', not starting with a digit); upper or lower case, since the
 * names are the app's, not ours.
 */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const envName = (fallback: string) =>
  z._default(z.string({ error: "must be an environment variable name (a string), e.g. \"CHAT_MODEL\"" }).check(z.regex(ENV_NAME, "is not an environment variable name: use letters, digits and '_', not starting with a digit (e.g. \"CHAT_MODEL\")")), fallback);

/** What modules/services/<name>.nix sets itself (environment): a setting of that name would be overridden. */
export const NODE_APP_MODULE_ENV = ["NODE_ENV", "HOME", "npm_config_cache", "npm_config_update_notifier", "PATH"] as const;

/** The settings that reach the app as environment variables (settings.<key> → env.<key>). */
export const NODE_APP_SETTING_KEYS = ["discordClientId", "chatEndpointUrl", "model", "temperature", "maxTokens"] as const;
/** The secrets the docs tell the operator to put in the secret file, by the names the app reads. */
export const NODE_APP_SECRET_KEYS = ["discordToken", "apiKey"] as const;

const envNames = DEFAULTS.nodeApp.env;

/** A Node.js app (e.g. a Discord/LLM bot) built with buildNpmPackage and run as a hardened system service. */
export const nodeAppService = lazyKind("node-app", () => {
  const source = z.union([
    z.strictObject({
      github: z.string().check(z.regex(GITHUB_REPO, "use owner/repo, e.g. \"acme/discord-bot\"")),
      ref: z.optional(z.string().check(z.regex(GIT_REF, "use a branch or tag name (letters, digits, '.', '_', '-', '/')"))),
    }),
    z.strictObject({
      path: z.string().check(z.regex(/^\.\/apps\/[a-z][a-z0-9-]{0,62}$/, "use a folder under ./apps, e.g. \"./apps/bot\"")),
    }),
  ]);

  const environment = z.record(
    z.string().check(
      z.regex(ENV_KEY, "environment names use upper-case letters, digits and '_', starting with a letter or '_'"),
      z.refine((k) => !SECRET_KEY.test(k), "looks like a secret: put it in the service's secret file (see docs/services), not in nixos-stack.json, which reaches the Nix store"),
    ),
    safeText("an environment value").check(z.refine((v) => !SECRET_VALUE.test(v), "looks like an API key or token: put it in the service's secret file (see docs/services), not in nixos-stack.json, which reaches the Nix store")),
  );

  /**
   * The variable each setting and secret reaches the app as: the app's own names (its
   * process.env reads), so a bot reading CHAT_MODEL gets the model in CHAT_MODEL.
   */
  const env = z.prefault(
    z.strictObject({
      discordClientId: envName(envNames.discordClientId),
      chatEndpointUrl: envName(envNames.chatEndpointUrl),
      model: envName(envNames.model),
      temperature: envName(envNames.temperature),
      maxTokens: envName(envNames.maxTokens),
      discordToken: envName(envNames.discordToken),
      apiKey: envName(envNames.apiKey),
    }),
    {},
  );

  return z.strictObject({
    kind: kindTag("node-app"),
    // modules/services/<kind>.nix and docs/services/<kind>.md are the other kinds' files
    name: serviceName().check(z.refine((n) => !KIND_FILE_NAMES.includes(n), "is the name of another kind's files (modules/services/<name>.nix): pick another name")),
    user: z.optional(userName()),
    group: z.optional(userName()),
    source,
    /**
     * The hash of the app's npm dependencies (buildNpmPackage's npmDepsHash), once known: the
     * first build with the placeholder prints it ("got: sha256-…"). Not a secret.
     */
    npmDepsHash: z.optional(z.string().check(z.regex(/^sha256-[A-Za-z0-9+\/]{43}=$/, "use the SRI hash a build prints after \"got:\", e.g. \"sha256-…=\" (44 characters after sha256-)"))),
    settings: z._default(
      z.strictObject({
        discordClientId: z.optional(z.string().check(z.regex(/^[0-9]{5,25}$/, "is the numeric application id from the Discord developer portal"))),
        chatEndpointUrl: z.optional(
          z
            .url({ protocol: /^https?$/, error: "use an http(s) URL, e.g. \"http://127.0.0.1:11434/v1\"" })
            .check(z.refine((u) => !hasCredentials(u), "carries a password, user or key, which would reach the Nix store: put the key in the service's secret file (see docs/services) and the bare URL here")),
        ),
        model: z.optional(safeText("model").check(z.minLength(1), z.refine((v) => !SECRET_VALUE.test(v), "looks like an API key or token: put it in the service's secret file (see docs/services), not in nixos-stack.json, which reaches the Nix store"))),
        temperature: z.optional(z.number({ error: "must be a number" }).check(z.gte(0, "use 0–2"), z.lte(2, "use 0–2"))),
        maxTokens: z.optional(z.number({ error: "must be a whole number" }).check(z.int("must be a whole number"), z.gte(1), z.lte(1_000_000))),
      }),
      {},
    ),
    environment: z._default(environment, {}),
    env,
    /**
     * buildNpmPackage runs `npm run build` (true, its default npmBuildScript), which a TypeScript
     * app whose dist/ is not committed needs; false: dontNpmBuild, for a plain JavaScript app
     * without a build script (the build hook fails on a missing script). Read once, when
     * pkgs/<name>/default.nix (yours) is first written.
     */
    build: z._default(z.boolean({ error: "must be true (npm run build) or false (no build step)" }), DEFAULTS.nodeApp.build),
    memoryMax: z._default(z.string().check(z.regex(/^[0-9]+[KMGT]?$/, "use a systemd size such as \"512M\" or \"1G\"")), "512M"),
    tasksMax: z._default(z.number().check(z.int(), z.gte(1), z.lte(65535)), 256),
    companion: z.optional(
      z.strictObject({
        enable: z._default(z.boolean(), true),
        script: z._default(z.string().check(z.regex(/^[a-z][a-z0-9:_-]{0,62}$/, "use an npm script name, e.g. \"deploy-commands\"")), "deploy-commands"),
      }),
    ),
  }).check(z.superRefine((app, ctx) => {
    // each setting and secret its own variable, none that the module or `environment` sets over it
    const keys = [...NODE_APP_SETTING_KEYS, ...NODE_APP_SECRET_KEYS];
    const seen = new Map<string, string>();
    for (const key of keys) {
      const name = app.env[key];
      const other = seen.get(name);
      if (other !== undefined) ctx.addIssue({ code: "custom", path: ["env", key], input: name, message: `is also env.${other}: each setting and secret needs its own variable` });
      else seen.set(name, key);
      if ((NODE_APP_MODULE_ENV as readonly string[]).includes(name)) ctx.addIssue({ code: "custom", path: ["env", key], input: name, message: `is set by modules/services/${app.name}.nix itself (${NODE_APP_MODULE_ENV.join(", ")}): pick the name the app reads for this setting` });
      if (name in app.environment) ctx.addIssue({ code: "custom", path: ["env", key], input: name, message: `is also a key of environment, which would set it over env.${key}: remove one of them` });
    }
  }));
});
export type NodeAppService = z.infer<ReturnType<typeof nodeAppService>>;

/** The unit's user and group: the service name unless set. */
export function nodeAppAccount(s: NodeAppService): { user: string; group: string } {
  const user = s.user ?? s.name;
  return { user, group: s.group ?? user };
}

/** It listens on no port (a bot connects out). */
export const nodeAppPortFields = [] as const satisfies PortFields<NodeAppService>;
