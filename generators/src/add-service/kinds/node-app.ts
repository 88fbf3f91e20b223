/**
 * The node-app kind's questions (schema: packages/core/src/manifest/services/node-app.ts).
 * Unanswered: the schema's defaults. The source is `--github owner/repo` (with `--ref`) or
 * `--path ./apps/<name>`; the schema refuses neither or both, naming `source`.
 */
import { parseDecimal, parseInteger, parseYesNo, type ServiceKindPrompts } from "./kind.js";

const text = (value: string) => value.trim();

export const nodeAppPrompts: ServiceKindPrompts = {
  kind: "node-app",
  description: "a Node.js app (e.g. a Discord/LLM bot) built with buildNpmPackage, run as a hardened system service",
  fields: [
    { name: "github", flag: "--github", message: "Its source on GitHub, owner/repo (or leave empty and give a local path):", parse: text, path: ["source", "github"] },
    { name: "ref", flag: "--ref", message: "The branch or tag of that repo (default: its default branch):", parse: text, path: ["source", "ref"] },
    { name: "path", flag: "--path", message: "Or its source in this repo, ./apps/<name>:", parse: text, path: ["source", "path"] },
    { name: "user", flag: "--user", message: "Its system user (default: its name):", parse: text },
    { name: "discordClientId", flag: "--discord-client-id", message: "The Discord application id (empty: none):", parse: text, path: ["settings", "discordClientId"] },
    { name: "chatEndpointUrl", flag: "--chat-endpoint-url", message: "The chat endpoint URL, e.g. http://127.0.0.1:11434/v1 (empty: none):", parse: text, path: ["settings", "chatEndpointUrl"] },
    { name: "model", flag: "--model", message: "The model name (empty: none):", parse: text, path: ["settings", "model"] },
    { name: "temperature", flag: "--temperature", message: "The sampling temperature, 0–2 (empty: none):", parse: parseDecimal, path: ["settings", "temperature"] },
    { name: "maxTokens", flag: "--max-tokens", message: "The most tokens per answer (empty: none):", parse: parseInteger, path: ["settings", "maxTokens"] },
    { name: "memoryMax", flag: "--memory-max", message: "Its memory limit, e.g. 512M or 1G (default: 512M):", parse: text },
    { name: "tasksMax", flag: "--tasks-max", message: "Its most threads and processes (default: 256):", parse: parseInteger },
    { name: "companion", flag: "--companion", message: "Run `npm run deploy-commands` once before it, as <name>-deploy (y/N):", parse: parseYesNo, path: ["companion", "enable"], boolean: true },
  ],
};
