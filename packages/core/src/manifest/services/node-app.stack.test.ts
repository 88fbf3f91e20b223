/** node-app rules that need the whole manifest: a user taken on the host, one app per name in the repo. */
import { expect, it } from "vitest";
import { formatFieldError, validateStack } from "../validate.js";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u me@laptop";
const app = (name: string, more: Record<string, unknown> = {}) => ({ kind: "node-app", name, source: { github: "acme/bot" }, ...more });
const stack = (...hosts: unknown[][]) => ({
  name: "infra",
  admins: [{ name: "alice", sshKeys: [KEY] }],
  hosts: hosts.map((services, i) => ({ name: `web-${i}`, deploy: { address: `203.0.113.${i + 1}` }, services })),
});
const errors = (input: unknown) => {
  const r = validateStack(input);
  return r.ok ? [] : r.errors.map(formatFieldError);
};

it("refuses a node-app whose default user (its name) is another service's user, naming user", () => {
  expect(errors(stack([{ kind: "gateway", name: "gw", user: "bot" }, app("bot")]))).toEqual([
    `hosts[0].services[1].user: "bot" — is already the user of services[0] on this host; each service runs as its own user, pick another name`,
  ]);
  expect(errors(stack([{ kind: "gateway", name: "gw", user: "bot" }, app("bot", { user: "bot2" })]))).toEqual([]);
});

it("refuses a node-app running as an admin", () => {
  expect(errors(stack([app("alice")]))).toEqual([`hosts[0].services[0].user: "alice" — is admins[0]; a service runs as its own unprivileged user, pick another name`]);
});

it("refuses two different apps of one name in the repo (one pkgs/<name>), but lets hosts share one app", () => {
  expect(errors(stack([app("bot")], [app("bot")]))).toEqual([]);
  expect(errors(stack([app("bot")], [app("bot", { source: { github: "acme/other" } })]))[0]).toMatch(/^hosts\[1\]\.services\[0\]\.name: "bot" — is also hosts\[0\]\.services\[0\], a node-app with another source/);
});

it("refuses the names of other kinds' module files", () => {
  for (const name of ["gateway", "monitoring", "backup", "home-service"]) expect(errors(stack([app(name)]))[0]).toMatch(new RegExp(`^hosts\\[0\\]\\.services\\[0\\]\\.name: "${name}" — is the name of another kind's files`));
});

it("does not print back a value refused as a secret", () => {
  const token = "sk-proj-0123456789abcdefABCDEF0123";
  const [error] = errors(stack([app("bot", { environment: { BOT_SETTING: token } })]));
  expect(error).toBe(`hosts[0].services[0].environment.BOT_SETTING: (value not shown) — looks like an API key or token: put it in the service's secret file (see docs/services), not in nixos-stack.json, which reaches the Nix store`);
});

it("says why an environment name is refused, not only that the key is invalid", () => {
  expect(errors(stack([app("bot", { environment: { DISCORD_TOKEN: "x" } })]))).toEqual([
    `hosts[0].services[0].environment.DISCORD_TOKEN: (value not shown) — looks like a secret: put it in the service's secret file (see docs/services), not in nixos-stack.json, which reaches the Nix store`,
  ]);
  expect(errors(stack([app("bot", { environment: { "lower-case": "x" } })]))[0]).toContain("environment names use upper-case letters");
});

it("accepts a node-app on a LAN fleet target (targets/<name>/default.nix imports its module)", () => {
  const input = stack([app("bot")]);
  (input.hosts[0] as Record<string, unknown>).profile = "server";
  expect(errors(input)).toEqual([]);
});
