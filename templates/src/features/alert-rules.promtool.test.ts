/**
 * The generated rule files judged by the real `promtool` (Debian's package `prometheus`;
 * scripts/setup.sh installs it): `promtool check rules` parses every expression and annotation
 * template as Prometheus does at build time (upstream's ruleFiles check), and `promtool test
 * rules` runs the rules over series shaped like a containers host's, so each alert is shown to
 * fire once, for the machine or the container whose figures it reads. Skipped, saying so, where
 * promtool is not installed.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitoringService } from "@nixos-stack/core";
import { afterAll, describe, expect, it } from "vitest";
import { alertRulesFile } from "./alert-rules.js";

const promtool = spawnSync("promtool", ["--version"], { encoding: "utf8" });
const hasPromtool = promtool.status === 0;
if (!hasPromtool) console.warn("alert-rules.promtool.test.ts: skipped, promtool is not installed (Debian: apt-get install prometheus; scripts/setup.sh does)");

const dir = mkdtempSync(join(tmpdir(), "nixos-stack-promtool-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const service = (receiver: "email" | "webhook" | "none") =>
  monitoringService().parse({
    kind: "monitoring",
    domain: "example.com",
    acmeEmail: "ops@example.com", acmeAcceptTerms: true,
    alerting: receiver === "email" ? { receiver, to: "ops@example.com", from: "alerts@example.com", smarthost: "smtp.example.com:587" } : { receiver },
  });
const ALL = { postgresql: true, redis: true, nats: true, qdrant: true };

function run(args: string[]) {
  const r = spawnSync("promtool", args, { cwd: dir, encoding: "utf8" });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe.runIf(hasPromtool)("the alert rules under the real promtool", () => {
  it("pass `promtool check rules` on a plain host, a containers host with every data service, and without a receiver", () => {
    for (const [name, text] of [
      ["host.rules.json", alertRulesFile(service("email"))],
      ["containers.rules.json", alertRulesFile(service("webhook"), ALL)],
      ["none.rules.json", alertRulesFile(service("none"), { ...ALL, redis: false })],
    ] as const) {
      writeFileSync(join(dir, name), text);
      const r = run(["check", "rules", name]);
      expect(r.out, name).toContain("SUCCESS");
      expect(r.status, r.out).toBe(0);
    }
  });

  it("fails `promtool check rules` on a planted broken expression (the check above can fail)", () => {
    const broken = JSON.parse(alertRulesFile(service("none"), ALL));
    broken.groups[0].rules[0].expr = "sum by (instance (up)";
    writeFileSync(join(dir, "broken.rules.json"), JSON.stringify(broken));
    expect(run(["check", "rules", "broken.rules.json"]).status).not.toBe(0);
  });

  it("fires MemoryLow once for the host, not again for each container, and ContainerMemoryLow for the container near its limit", () => {
    writeFileSync(join(dir, "containers.rules.json"), alertRulesFile(service("webhook"), ALL));
    const host = { job: "node", instance: "10.233.1.1:9100" };
    const labels = (extra: Record<string, string>) => `{${Object.entries(extra).map(([k, v]) => `${k}="${v}"`).join(",")}}`;
    const series = (name: string, l: Record<string, string>, value: number) => ({ series: `${name}${labels(l)}`, values: `${value}x30` });
    const tests = {
      rule_files: ["containers.rules.json"],
      evaluation_interval: "1m",
      tests: [
        {
          interval: "1m",
          input_series: [
            // the host: 5% of its memory available
            series("node_memory_MemAvailable_bytes", host, 500),
            series("node_memory_MemTotal_bytes", host, 10000),
            // what a container's exporter reported before hostFigures = false: the host's figures again
            series("node_memory_MemAvailable_bytes", { job: "container", instance: "10.233.1.2:9100", container: "data" }, 500),
            series("node_memory_MemTotal_bytes", { job: "container", instance: "10.233.1.2:9100", container: "data" }, 10000),
            // the containers' own, from the host's textfile: data near its limit, graph far from it
            series("stack_container_memory_working_set_bytes", { ...host, container: "data" }, 7900),
            series("stack_container_memory_limit_bytes", { ...host, container: "data" }, 8000),
            series("stack_container_memory_working_set_bytes", { ...host, container: "graph" }, 100),
            series("stack_container_memory_limit_bytes", { ...host, container: "graph" }, 2000),
          ],
          alert_rule_test: [
            {
              eval_time: "15m",
              alertname: "MemoryLow",
              exp_alerts: [
                {
                  exp_labels: { severity: "critical", ...host },
                  exp_annotations: { summary: "10.233.1.1:9100 has less than 10% of its memory available", description: "5% of memory is available." },
                },
              ],
            },
            {
              eval_time: "15m",
              alertname: "ContainerMemoryLow",
              exp_alerts: [
                {
                  exp_labels: { severity: "critical", ...host, container: "data" },
                  exp_annotations: {
                    summary: "Container data has less than 10% of its memory limit left",
                    description: "1.25% of its MemoryHigh/MemoryMax is left: above MemoryHigh it is throttled, at MemoryMax its processes are killed (limits in nixos-stack.json).",
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    writeFileSync(join(dir, "containers.test.json"), JSON.stringify(tests));
    const r = run(["test", "rules", "containers.test.json"]);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain("SUCCESS");
  });
});
