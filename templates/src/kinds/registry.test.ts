/** The kinds registry: one entry per manifest kind, and the host-level sums the backup, monitoring and secrets features read, on the examples' manifests. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { serviceSchema, webAppUser, type Stack } from "@nixos-stack/core";
import { describe, expect, it } from "vitest";
import { validStack } from "../test-support/render-to-disk.js";
import { hostBackupPrep, hostScrapeSecrets, hostSecretFiles, hostStatefulPaths, KINDS, stackSecretNames } from "./registry.js";

const EXAMPLES = join(import.meta.dirname, "../../../examples");
const example = (name: string, backend?: Stack["secrets"]["backend"]): Stack => {
  const manifest = JSON.parse(readFileSync(join(EXAMPLES, name, "nixos-stack.json"), "utf8"));
  return validStack(backend ? { ...manifest, secrets: { ...manifest.secrets, backend } } : manifest);
};
const firstHost = (stack: Stack) => stack.hosts[0]!;

describe("the kinds registry", () => {
  it("has exactly one entry for each kind the manifest accepts", () => {
    const kinds = serviceSchema().options.map((o) => o.shape.kind.value).sort();
    expect(Object.keys(KINDS).sort()).toEqual(kinds);
  });

  it("monitoring + backup + home-service (monitored-vps): Prometheus and Grafana state and the user's home are backed up, the TSDB's live files are not", () => {
    const stack = example("monitored-vps");
    const host = firstHost(stack);
    expect(hostStatefulPaths(stack, host)).toEqual(["/home/bot", "/var/lib/grafana", "/var/lib/prometheus2"]);
    expect(hostBackupPrep(stack, host)).toEqual({ dumps: [], exclude: ["/var/lib/prometheus2/data/chunks_head", "/var/lib/prometheus2/data/wal"] });
    expect(hostSecretFiles(stack, host)).toEqual({ monitoring: { owner: "root", group: "root" }, backup: { owner: "root", group: "root" }, bot: { owner: "bot", group: "users" } });
  });

  it("under env-file, the monitoring, backup and home-service kinds declare no file (the operator's file is the backend's)", () => {
    const stack = example("monitored-vps", "env-file");
    expect(hostSecretFiles(stack, firstHost(stack))).toEqual({});
  });

  it("containers (leaf-node-containers): every container's root, the database dump and the Qdrant snapshot before each archive, their live stores left out", () => {
    const stack = example("leaf-node-containers");
    const host = firstHost(stack);
    expect(hostStatefulPaths(stack, host)).toEqual(["agent", "data", "graph", "monitoring", "workflow"].map((c) => `/var/lib/nixos-containers/${c}`));
    const prep = hostBackupPrep(stack, host);
    expect(prep.dumps).toEqual([{ machine: "data", unit: "postgresqlBackup.service" }, { machine: "data", unit: "qdrant-snapshot.service" }]);
    expect(prep.exclude).toEqual(expect.arrayContaining(["/var/lib/nixos-containers/data/var/lib/postgresql", "/var/lib/nixos-containers/data/var/lib/private/qdrant/storage", "/var/lib/nixos-containers/monitoring/var/lib/prometheus2/data/wal"]));
    expect(hostScrapeSecrets(stack, host).map((s) => s.key)).toContain("QDRANT_API_KEY");
  });

  it("containers: a secret file per container that needs one, root's; an env-file placeholder only under env-file (nspawn refuses a missing bind source)", () => {
    const agenix = example("leaf-node-containers");
    const files = hostSecretFiles(agenix, firstHost(agenix));
    expect(files["containers-data"]).toEqual({ owner: "root", group: "root" });
    expect(files["containers-monitoring"]).toEqual({ owner: "root", group: "root" });
    const envFile = example("leaf-node-containers", "env-file");
    const plain = hostSecretFiles(envFile, firstHost(envFile));
    expect(plain["containers-data"]).toEqual({ owner: "root", group: "root", placeholder: true });
    expect(plain.backup).toBeUndefined();
  });

  it("web-app (multi-instance-webapp): one file per instance, read by that instance's user, in every backend", () => {
    for (const backend of ["agenix", "env-file"] as const) {
      const stack = example("multi-instance-webapp", backend);
      const app = firstHost(stack).services[0]!;
      if (app.kind !== "web-app") throw new Error("the example's first service is its web app");
      expect(hostSecretFiles(stack, firstHost(stack))).toEqual(Object.fromEntries(app.instances.map((i) => [`school-${i.name}`, { owner: webAppUser(app, i), group: "school" }])));
    }
  });

  it("node-app and gateway: the app has its file under env-file too; the gateway only under an encrypted backend", () => {
    const bot = example("discord-bot");
    expect(Object.keys(hostSecretFiles(bot, firstHost(bot)))).toEqual(["discord-bot"]);
    expect(hostStatefulPaths(bot, firstHost(bot))).toEqual(["/var/lib/discord-bot"]);
    expect(stackSecretNames(example("vps"))).toEqual([]);
    expect(stackSecretNames(example("vps-agenix"))).toEqual(["gateway"]);
  });
});
