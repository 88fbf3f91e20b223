/**
 * nixpkgs' writeShellApplication runs shellcheck on its `text` when the system is built
 * (pkgs/build-support/trivial-builders: checkPhase), which the offline flake check cannot do
 * (packages are fakes). So the scripts our modules embed are checked here: every
 * `writeShellApplication { … text = ''…''; }` of a repo using every kind, with Nix's
 * indented-string escapes undone and each interpolation replaced by a store-path-like word.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { renderStack } from "./index.js";
import { validStack, vpsStack } from "./test-support/render-to-disk.js";

const hasShellcheck = spawnSync("shellcheck", ["--version"]).status === 0;

/** The shell text of each writeShellApplication in a Nix file, as the builder would write it. */
function embeddedScripts(nix: string): Array<{ name: string; text: string }> {
  const out: Array<{ name: string; text: string }> = [];
  for (const match of nix.matchAll(/writeShellApplication\s*\{\s*name = "([^"]+)";[\s\S]*?text = (?:''([\s\S]*?)'';|[^;]*;)/g)) {
    const [, name, text] = match;
    // text from an option (a user's command) is not ours to check
    if (text !== undefined) out.push({ name: name!, text: unindent(text) });
  }
  return out;
}

/** Nix indented-string semantics, for shellcheck's eyes: escapes undone, interpolations made words. */
function unindent(raw: string): string {
  const replaced = raw
    .replace(/''\$\{/g, "\u0000") // ''${ is a literal ${
    .replace(/\$\{[^}]*\}/g, "/nix/store/interpolated") // a Nix interpolation
    .replace(/\u0000/g, "${")
    .replace(/'''/g, "''");
  const lines = replaced.replace(/^\n/, "").split("\n");
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join("\n");
}

const stack = (() => {
  const base = vpsStack();
  const services = [
    { kind: "monitoring", domain: "example.com", acmeEmail: "ops@example.com", acmeAcceptTerms: true, alerting: { receiver: "email", to: "ops@example.com", from: "alerts@example.com", smarthost: "smtp.example.com:587", username: "alerts@example.com" } },
    { kind: "backup", repository: "/mnt/backup/borg" },
    { kind: "home-service", name: "bot", user: "bot", command: "exec /home/bot/bin/bot" },
    { kind: "containers", externalInterface: "ens3", domain: "example.com", acmeEmail: "ops@example.com", acmeAcceptTerms: true, containers: [{ role: "data", name: "data", address: "10.233.1.2", redis: {}, nats: {}, qdrant: {}, postgresql: { databases: ["app"] } }] },
  ];
  return validStack({ ...base, hosts: base.hosts.map((h, i) => (i === 0 ? { ...h, services: [...h.services, ...services] } : h)) } as never);
})();

describe.runIf(hasShellcheck)("scripts embedded in the generated modules", () => {
  const scripts = [...renderStack(stack)].filter(([path]) => path.endsWith(".nix")).flatMap(([path, file]) => embeddedScripts(file.content).map((s) => ({ path, ...s })));

  const NAMES = ["alertmanager-secrets", "container-resources", "dotenv-value", "gateway-placeholder", "grafana-secrets", "nats-config", "postgresql-passwords", "prometheus-scrape-secrets", "qdrant-api-key", "qdrant-snapshot", "require-secret", "tls-certificate-expiry"];
  it("are found (dotenv-value, grafana-secrets, tls-certificate-expiry, the gateway placeholder, require-secret, NATS' runtime configuration, Qdrant's key and snapshot, PostgreSQL's passwords, Alertmanager's and Prometheus' secrets, the containers' resources)", () => {
    expect([...new Set(scripts.map((s) => s.name))].sort()).toEqual(NAMES);
  });

  it.each(NAMES)("%s passes shellcheck as writeShellApplication runs it", (name) => {
    const script = scripts.find((s) => s.name === name)!;
    // writeShellApplication's preamble: bash, errexit, nounset, pipefail
    const source = `#!/usr/bin/env bash\nset -o errexit\nset -o nounset\nset -o pipefail\n${script.text}\n`;
    const r = spawnSync("shellcheck", ["-s", "bash", "-"], { input: source, encoding: "utf8" });
    expect(r.stdout, `${script.path}: ${name}\n${source}`).toBe("");
    expect(r.status).toBe(0);
  });

  it("would catch a script shellcheck rejects (an unquoted variable)", () => {
    const [bad] = embeddedScripts("pkgs.writeShellApplication {\n  name = \"x\";\n  text = ''\n    rm $1\n  '';\n}\n");
    const r = spawnSync("shellcheck", ["-s", "bash", "-"], { input: `#!/usr/bin/env bash\n${bad!.text}\n`, encoding: "utf8" });
    expect(r.status).not.toBe(0);
  });
});
