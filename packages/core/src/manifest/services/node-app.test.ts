import { expect, it } from "vitest";
import { nodeAppAccount, nodeAppService } from "./node-app.js";

const base = { kind: "node-app", name: "bot", source: { github: "acme/discord-bot" } };

it("keeps temperature a float and maxTokens an integer", () => {
  const s = nodeAppService.parse({ ...base, settings: { temperature: 0.7, maxTokens: 512 } });
  expect(s.settings.temperature).toBe(0.7);
  expect(nodeAppService.safeParse({ ...base, settings: { maxTokens: 1.5 } }).success).toBe(false);
});

it("refuses secret-looking environment names, naming the field", () => {
  const r = nodeAppService.safeParse({ ...base, environment: { DISCORD_TOKEN: "abc" } });
  expect(r.success).toBe(false);
  expect(JSON.stringify(r.error?.issues)).toMatch(/secret file/);
});

it("accepts a local path under ./apps only", () => {
  expect(nodeAppService.safeParse({ ...base, source: { path: "./apps/bot" } }).success).toBe(true);
  expect(nodeAppService.safeParse({ ...base, source: { path: "../etc" } }).success).toBe(false);
});

it("defaults user and group to the service name", () => {
  expect(nodeAppAccount(nodeAppService.parse(base))).toEqual({ user: "bot", group: "bot" });
});

it("refuses a token planted as an ordinary environment value", () => {
  const planted = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz012345";
  const r = nodeAppService.safeParse({ ...base, environment: { BOT_SETTING: planted } });
  expect(r.success).toBe(false);
  expect(JSON.stringify(r.error?.issues)).not.toContain(planted);
  expect(nodeAppService.safeParse({ ...base, environment: { LOG_LEVEL: "debug" } }).success).toBe(true);
});

it("refuses secrets planted in the settings that reach the Nix store, naming the field and never echoing the value", () => {
  const token = "sk-proj-0123456789abcdefABCDEF0123";
  for (const [settings, field] of [
    [{ model: token }, "model"],
    [{ chatEndpointUrl: `https://bot:${token}@api.example.com/v1` }, "chatEndpointUrl"],
    [{ chatEndpointUrl: `https://api.example.com/v1?api_key=${token}` }, "chatEndpointUrl"],
  ] as const) {
    const r = nodeAppService.safeParse({ ...base, settings });
    expect(r.success, field).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(["settings", field]);
    expect(r.error?.issues[0]?.message).toMatch(/Nix store/);
    expect(r.error?.issues[0]?.message).not.toContain(token);
  }
  expect(nodeAppService.safeParse({ ...base, settings: { model: "llama3.1:8b", chatEndpointUrl: "http://127.0.0.1:11434/v1?stream=true" } }).success).toBe(true);
});
