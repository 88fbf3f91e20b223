import { expect, it } from "vitest";
import { nodeAppAccount, nodeAppService } from "./node-app.js";

const base = { kind: "node-app", name: "bot", source: { github: "acme/discord-bot" } };

it("keeps temperature a float and maxTokens an integer", () => {
  const s = nodeAppService().parse({ ...base, settings: { temperature: 0.7, maxTokens: 512 } });
  expect(s.settings.temperature).toBe(0.7);
  expect(nodeAppService().safeParse({ ...base, settings: { maxTokens: 1.5 } }).success).toBe(false);
});

it("refuses secret-looking environment names, naming the field", () => {
  const r = nodeAppService().safeParse({ ...base, environment: { DISCORD_TOKEN: "abc" } });
  expect(r.success).toBe(false);
  expect(JSON.stringify(r.error?.issues)).toMatch(/secret file/);
});

it("accepts a local path under ./apps only", () => {
  expect(nodeAppService().safeParse({ ...base, source: { path: "./apps/bot" } }).success).toBe(true);
  expect(nodeAppService().safeParse({ ...base, source: { path: "../etc" } }).success).toBe(false);
});

it("defaults user and group to the service name", () => {
  expect(nodeAppAccount(nodeAppService().parse(base))).toEqual({ user: "bot", group: "bot" });
});

it("refuses a token planted as an ordinary environment value", () => {
  const planted = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz012345";
  const r = nodeAppService().safeParse({ ...base, environment: { BOT_SETTING: planted } });
  expect(r.success).toBe(false);
  expect(JSON.stringify(r.error?.issues)).not.toContain(planted);
  expect(nodeAppService().safeParse({ ...base, environment: { LOG_LEVEL: "debug" } }).success).toBe(true);
});

it("refuses secrets planted in the settings that reach the Nix store, naming the field and never echoing the value", () => {
  const token = "sk-proj-0123456789abcdefABCDEF0123";
  for (const [settings, field] of [
    [{ model: token }, "model"],
    [{ chatEndpointUrl: `https://bot:${token}@api.example.com/v1` }, "chatEndpointUrl"],
    [{ chatEndpointUrl: `https://api.example.com/v1?api_key=${token}` }, "chatEndpointUrl"],
  ] as const) {
    const r = nodeAppService().safeParse({ ...base, settings });
    expect(r.success, field).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(["settings", field]);
    expect(r.error?.issues[0]?.message).toMatch(/Nix store/);
    expect(r.error?.issues[0]?.message).not.toContain(token);
  }
  expect(nodeAppService().safeParse({ ...base, settings: { model: "llama3.1:8b", chatEndpointUrl: "http://127.0.0.1:11434/v1?stream=true" } }).success).toBe(true);
});

it("maps each setting and secret to the app's variable: the CHAT_ names unless set, any name given taken as written", () => {
  expect(nodeAppService().parse(base).env).toEqual({
    discordClientId: "DISCORD_CLIENT_ID",
    chatEndpointUrl: "CHAT_ENDPOINT_URL",
    model: "CHAT_MODEL",
    temperature: "CHAT_TEMPERATURE",
    maxTokens: "CHAT_MAX_TOKENS",
    discordToken: "DISCORD_TOKEN",
    apiKey: "CHAT_API_KEY",
  });
  const s = nodeAppService().parse({ ...base, env: { model: "llm_model", apiKey: "OPENAI_API_KEY" } });
  expect(s.env).toMatchObject({ model: "llm_model", apiKey: "OPENAI_API_KEY", temperature: "CHAT_TEMPERATURE" });
});

it("refuses env names that are no variable names, shared ones, the module's own and environment's keys, naming the field", () => {
  const issues = (env: Record<string, unknown>, more: Record<string, unknown> = {}) => {
    const r = nodeAppService().safeParse({ ...base, env, ...more });
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };
  expect(issues({ model: "CHAT-MODEL" })).toEqual([`env.model: is not an environment variable name: use letters, digits and '_', not starting with a digit (e.g. "CHAT_MODEL")`]);
  expect(issues({ model: "1MODEL" })[0]).toMatch(/^env\.model: is not an environment variable name/);
  expect(issues({ model: "A B" })[0]).toMatch(/^env\.model: is not an environment variable name/);
  expect(issues({ maxTokens: "CHAT_MODEL" })).toEqual(["env.maxTokens: is also env.model: each setting and secret needs its own variable"]);
  expect(issues({ model: "HOME" })).toEqual(["env.model: is set by modules/services/bot.nix itself (NODE_ENV, HOME, npm_config_cache, npm_config_update_notifier, PATH): pick the name the app reads for this setting"]);
  expect(issues({ model: "LLM_MODEL" }, { environment: { LLM_MODEL: "x" } })).toEqual(["env.model: is also a key of environment, which would set it over env.model: remove one of them"]);
  expect(issues({ colour: "X" })[0]).toMatch(/^env: /);
});

it("builds with `npm run build` unless build is false", () => {
  expect(nodeAppService().parse(base).build).toBe(true);
  expect(nodeAppService().parse({ ...base, build: false }).build).toBe(false);
  expect(nodeAppService().safeParse({ ...base, build: "yes" }).success).toBe(false);
});

it.each(["", "not a url", "http://"])("refuses settings.chatEndpointUrl %j with the URL rule, without throwing", (chatEndpointUrl) => {
  const r = nodeAppService().safeParse({ ...base, settings: { chatEndpointUrl } });
  expect(r.success).toBe(false);
  expect(r.error?.issues.map((i) => i.message)).toContain('use an http(s) URL, e.g. "http://127.0.0.1:11434/v1"');
});
