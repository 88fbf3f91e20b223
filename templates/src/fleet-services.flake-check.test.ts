/**
 * Services on LAN fleet targets: targets/<name>/default.nix imports the service modules, sets
 * their stack.* values and services.<app> as a VPS host's default.nix does, and the fleet repo
 * passes the offline `nix flake check` on both branches with every kind on one target; the
 * EVALUATED target runs the units.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import type { Stack } from "@nixos-stack/core";
import { renderStack } from "./index.js";
import { fleetInput } from "./test-support/fleet-repo.js";
import { encryptedSecrets, FlakeRepos, nixArgs, offline } from "./test-support/flake-repo.js";
import { SURFACE_BRANCHES, type SurfaceBranch } from "./test-support/offline-inputs.js";
import { validStack } from "./test-support/render-to-disk.js";

const repos = new FlakeRepos("fleet-services");
afterAll(() => repos.cleanup());

const SERVICES = [
  { kind: "node-app", name: "bot", source: { path: "./apps/bot" }, npmDepsHash: "sha256-4hGdCwI/H7LdndJaHYvr8ajpmgVnY/cDRN/Q1LYENrA=", companion: { enable: true } },
  { kind: "web-app", name: "school", domain: "school.example.org", acmeEmail: "ops@example.org", acmeAcceptTerms: true, instances: [{ name: "class-9a", port: 8081, subdomain: "9a" }] },
  { kind: "monitoring", domain: "example.org", acmeEmail: "ops@example.org", acmeAcceptTerms: true, alerting: { receiver: "none" } },
  { kind: "backup", repository: "ssh://u1@u1.your-storagebox.de:23/./borg", repositoryHostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIrYq4hvJwDD6uEIasP6WTbzpHjj2qdemXu82irXB3/4" },
  { kind: "gateway", name: "gateway", user: "gateway", port: 18789 },
];

function fleetWithServices(branch: SurfaceBranch, backend: "env-file" | "agenix" | "sops"): Stack {
  const input = fleetInput();
  input.nixpkgs = { branch };
  input.secrets = { backend };
  input.hosts = input.hosts.map((h, i) => (i === 0 ? { ...h, services: SERVICES, tuning: { swappiness: 10 } } : h)) as never;
  return validStack(input);
}

describe.skipIf(!offline.ok)("services on fleet targets", () => {
  it("targets/<name>/default.nix imports each service's module and sets its values; the other targets import none", () => {
    const tree = renderStack(fleetWithServices(SURFACE_BRANCHES[0], "env-file"));
    const lab = tree.get("targets/lab/default.nix")!.content;
    for (const module of ["services/bot.nix", "services/school.nix", "services/monitoring.nix", "services/backup.nix", "services/gateway.nix", "tuning.nix", "secrets.nix"]) expect(lab).toContain(`../../modules/${module}`);
    expect(lab).toMatch(/services = \{\n\s+bot = \{/);
    expect(tree.get("targets/nas/default.nix")!.content).not.toContain("modules/services");
  });

  for (const branch of SURFACE_BRANCHES) {
    for (const backend of ["env-file", "agenix"] as const) {
      it(`every kind on one target passes the check (${branch}, ${backend}), and the evaluated target runs the units`, () => {
        const dir = repos.create(fleetWithServices(branch, backend), ...(backend === "agenix" ? [encryptedSecrets(["bot", "school-class-9a", "monitoring", "backup", "gateway"])] : []));
        const check = spawnSync("nix", ["flake", "check", "--no-build", "--keep-going", "--no-write-lock-file", ...nixArgs(branch)], { cwd: dir, encoding: "utf8" });
        expect(check.stderr).not.toMatch(/error:/);
        expect(check.status).toBe(0);
        const units = JSON.parse(
          execFileSync("nix", ["eval", "--json", "--no-write-lock-file", ".#nixosConfigurations.lab.config.systemd.services", "--apply", "builtins.attrNames", ...nixArgs(branch)], { cwd: dir, encoding: "utf8" }),
        );
        expect(units).toEqual(expect.arrayContaining(["bot", "bot-deploy", "school-class-9a"]));
      }, 180_000);
    }
  }
});
