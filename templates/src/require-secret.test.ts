/**
 * modules/lib/require-secret.nix, the ExecCondition= of every unit that reads a secret file (a
 * container's Redis and app, Grafana): its script run for real with bash, as writeShellApplication
 * writes it (errexit, nounset, pipefail). systemd reads exit 1 as "skip this start" (the unit is
 * not failed, Restart= does not fire), so a missing or empty file must give 1 and one line.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderStack } from "./index.js";
import { validStack, vpsStack } from "./test-support/render-to-disk.js";

const dir = mkdtempSync(join(tmpdir(), "require-secret-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const stack = (() => {
  const base = vpsStack();
  const services = [{ kind: "monitoring", domain: "example.com", acmeEmail: "ops@example.com", acmeAcceptTerms: true, alerting: { receiver: "webhook" } }];
  return validStack({ ...base, hosts: base.hosts.map((h, i) => (i === 0 ? { ...h, services: [...h.services, ...services] } : h)) } as never);
})();

const nix = renderStack(stack).get("modules/lib/require-secret.nix")?.content ?? "";
// the script has no Nix interpolation: its text is the indented string as written
const text = (nix.match(/text = ''\n([\s\S]*?)\n\s*'';/)?.[1] ?? "").replace(/^ {6}/gm, "");

function run(...args: string[]) {
  const source = `set -o errexit\nset -o nounset\nset -o pipefail\n${text}\n`;
  return spawnSync("bash", ["-c", source, "require-secret", ...args], { encoding: "utf8" });
}

describe("require-secret (a unit's ExecCondition while its secret is missing)", () => {
  it("is written for a repo with the monitoring kind", () => {
    expect(text).toContain('if [ -s "$file" ]');
  });

  it("skips the start (exit 1) with one line naming the file, the unit and how to create it", () => {
    const r = run(join(dir, "absent"), "grafana", "in the repo: cd secrets && agenix -e monitoring.age");
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toEqual([`grafana: its secret file ${join(dir, "absent")} is missing or empty, so grafana is not started: in the repo: cd secrets && agenix -e monitoring.age`]);
  });

  it("treats the env-file placeholder (an empty file) as missing", () => {
    writeFileSync(join(dir, "empty"), "");
    expect(run(join(dir, "empty"), "redis-data", "write it").status).toBe(1);
  });

  it("lets the unit start (exit 0, silent) once the file has content", () => {
    writeFileSync(join(dir, "present"), "GRAFANA_SECRET_KEY=x\n");
    const r = run(join(dir, "present"), "grafana", "write it");
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
  });

  it("refuses a wrong call (exit 2: systemd marks the unit failed, a bug in the module shows)", () => {
    expect(run(join(dir, "present")).status).toBe(2);
  });
});
