import * as z from "zod";
import { safeText, serviceName, userName } from "../rules.js";
import type { PortFields } from "./port-fields.js";

/** `owner/repo` on GitHub (the flake input `github:owner/repo`), optionally pinned to a ref or rev. */
const GITHUB_REPO = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/;
const GIT_REF = /^[A-Za-z0-9._\/-]{1,200}$/;

const source = z.union([
  z.strictObject({
    github: z.string().regex(GITHUB_REPO, "use owner/repo, e.g. \"acme/discord-bot\""),
    ref: z.string().regex(GIT_REF, "use a branch or tag name (letters, digits, '.', '_', '-', '/')").optional(),
  }),
  z.strictObject({
    path: z.string().regex(/^\.\/apps\/[a-z][a-z0-9-]{0,62}$/, "use a folder under ./apps, e.g. \"./apps/bot\""),
  }),
]);

/** The files of the kinds with one module per repo (modules/services/<these>.nix, docs/services/<these>.md). */
const KIND_FILE_NAMES = ["gateway", "gateway-placeholder", "monitoring", "node-exporter", "backup", "home-service"];

/** Names that usually hold secrets: those belong in the secrets backend, never in the manifest. */
const SECRET_KEY = /(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE|CREDENTIAL)/i;
/** Values shaped like API keys (OpenAI-style `sk-…`, GitHub `ghp_…`, Slack `xox…`) or Discord bot tokens (three dot-separated base64 parts). */
const SECRET_VALUE = /^(sk-[A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|xox[abpr]-[A-Za-z0-9-]{10,}|[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{20,})$/;
/** A URL with a user or password, or a query parameter named like a secret (`?api_key=…`). */
function hasCredentials(url: string): boolean {
  const u = new URL(url);
  return u.username !== "" || u.password !== "" || [...u.searchParams.keys()].some((k) => SECRET_KEY.test(k) || /^key$/i.test(k));
}
const ENV_KEY = /^[A-Z_][A-Z0-9_]{0,63}$/;

const environment = z.record(
  z.string().regex(ENV_KEY, "environment names use upper-case letters, digits and '_', starting with a letter or '_'")
    .refine((k) => !SECRET_KEY.test(k), "looks like a secret: put it in the service's secret file (see docs/services), not in nixos-stack.json, which reaches the Nix store"),
  safeText("an environment value").refine((v) => !SECRET_VALUE.test(v), "looks like an API key or token: put it in the service's secret file (see docs/services), not in nixos-stack.json, which reaches the Nix store"),
);

/** A Node.js app (e.g. a Discord/LLM bot) built with buildNpmPackage and run as a hardened system service. */
export const nodeAppService = z.strictObject({
  kind: z.literal("node-app"),
  // modules/services/<kind>.nix and docs/services/<kind>.md are the other kinds' files
  name: serviceName.refine((n) => !KIND_FILE_NAMES.includes(n), "is the name of another kind's files (modules/services/<name>.nix): pick another name"),
  user: userName.optional(),
  group: userName.optional(),
  source,
  /**
   * The hash of the app's npm dependencies (buildNpmPackage's npmDepsHash), once known: the
   * first build with the placeholder prints it ("got: sha256-…"). Not a secret.
   */
  npmDepsHash: z.string().regex(/^sha256-[A-Za-z0-9+\/]{43}=$/, "use the SRI hash a build prints after \"got:\", e.g. \"sha256-…=\" (44 characters after sha256-)").optional(),
  settings: z.strictObject({
    discordClientId: z.string().regex(/^[0-9]{5,25}$/, "is the numeric application id from the Discord developer portal").optional(),
    chatEndpointUrl: z
      .url({ protocol: /^https?$/, error: "use an http(s) URL, e.g. \"http://127.0.0.1:11434/v1\"" })
      .refine((u) => !hasCredentials(u), "carries a password, user or key, which would reach the Nix store: put the key in the service's secret file (see docs/services) and the bare URL here")
      .optional(),
    model: safeText("model").min(1).refine((v) => !SECRET_VALUE.test(v), "looks like an API key or token: put it in the service's secret file (see docs/services), not in nixos-stack.json, which reaches the Nix store").optional(),
    temperature: z.number({ error: "must be a number" }).min(0, "use 0–2").max(2, "use 0–2").optional(),
    maxTokens: z.number({ error: "must be a whole number" }).int("must be a whole number").min(1).max(1_000_000).optional(),
  }).default({}),
  environment: environment.default({}),
  memoryMax: z.string().regex(/^[0-9]+[KMGT]?$/, "use a systemd size such as \"512M\" or \"1G\"").default("512M"),
  tasksMax: z.number().int().min(1).max(65535).default(256),
  companion: z.strictObject({
    enable: z.boolean().default(true),
    script: z.string().regex(/^[a-z][a-z0-9:_-]{0,62}$/, "use an npm script name, e.g. \"deploy-commands\"").default("deploy-commands"),
  }).optional(),
});
export type NodeAppService = z.infer<typeof nodeAppService>;

/** The unit's user and group: the service name unless set. */
export function nodeAppAccount(s: NodeAppService): { user: string; group: string } {
  const user = s.user ?? s.name;
  return { user, group: s.group ?? user };
}

/** It listens on no port (a bot connects out). */
export const nodeAppPortFields = [] as const satisfies PortFields<NodeAppService>;
