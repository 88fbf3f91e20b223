/**
 * `npx plop add-target` for real, in a generated repo pointed at this clone's built packages the
 * way the generated README says (scripts/link-local-packages.mjs): plop's CLI, the repo's
 * plopfile, the built @nixos-stack/generators. npx runs offline: the repo needs no registry.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { snapshot, writeRepo } from "./test-support/repo.js";

const LINK = new URL("../../scripts/link-local-packages.mjs", import.meta.url).pathname;
const BUILT = new URL("../dist/index.js", import.meta.url).pathname;
const MY_CONFIG = "{ ... }:\n{\n  # mine\n}\n";

let parent: string;
let repo: string;
beforeEach(async () => {
  parent = await mkdtemp(join(tmpdir(), "nixos-stack-plop-cli-"));
  repo = join(parent, "repo");
  await writeRepo(repo);
  await writeFile(join(repo, "hosts/vps-x86/configuration.nix"), MY_CONFIG);
});
afterEach(() => rm(parent, { recursive: true, force: true }));

const npxPlop = (args: string[]) =>
  execa("npx", ["--offline", "plop", ...args], { cwd: repo, reject: false, timeout: 60_000, stdin: "ignore", env: { HOME: parent, NO_COLOR: "1", npm_config_update_notifier: "false" } });

describe.runIf(existsSync(BUILT))("npx plop in a generated repo", () => {
  it("add-target answered from the command line adds the host; a taken name fails and changes nothing", async () => {
    const linked = await execa("node", [LINK, repo], { reject: false });
    expect(linked.exitCode, linked.stderr).toBe(0);

    const r = await npxPlop(["add-target", "--", "--name", "lab", "--system", "aarch64-linux", "--address", "203.0.113.30", "--profile", "vps", "--tags", ""]);
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toContain("add-target lab in");
    const manifest = JSON.parse(await readFile(join(repo, "nixos-stack.json"), "utf8"));
    expect(manifest.hosts[2]).toMatchObject({ name: "lab", system: "aarch64-linux", deploy: { address: "203.0.113.30" } });
    expect(await readFile(join(repo, "flake.nix"), "utf8")).toMatch(/ lab = \{\s*system = "aarch64-linux";/);
    expect(existsSync(join(repo, "hosts/lab/default.nix"))).toBe(true);
    expect(await readFile(join(repo, "hosts/vps-x86/configuration.nix"), "utf8")).toBe(MY_CONFIG);

    const before = await snapshot(repo);
    const taken = await npxPlop(["add-target", "--", "--name", "vps-x86", "--system", "x86_64-linux", "--address", "", "--profile", "vps", "--tags", ""]);
    expect(taken.exitCode).toBe(1);
    expect(taken.stderr).toContain(`name "vps-x86" — is already the name of hosts[0]`);
    expect(await snapshot(repo)).toEqual(before);

    const removed = await npxPlop(["remove-target", "--", "--name", "lab"]);
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(existsSync(join(repo, "hosts/lab/default.nix"))).toBe(false);

    // add-service-<kind>: every question, the kind's own too, answered from the command line
    const service = await npxPlop(["add-service-gateway", "--", "--host", "vps-arm", "--name", "relay", "--user", "relay", "--port", "18800"]);
    expect(service.exitCode, `${service.stdout}\n${service.stderr}`).toBe(0);
    expect(JSON.parse(await readFile(join(repo, "nixos-stack.json"), "utf8")).hosts[1].services[1]).toEqual({ kind: "gateway", name: "relay", user: "relay", port: 18800 });
    expect(await readFile(join(repo, "hosts/vps-arm/default.nix"), "utf8")).toMatch(/relay = \{\s*port = 18800;/);
    const gone = await npxPlop(["remove-service", "--", "--host", "vps-arm", "--name", "relay"]);
    expect(gone.exitCode, gone.stderr).toBe(0);
    expect(await readFile(join(repo, "hosts/vps-arm/default.nix"), "utf8")).not.toContain("relay");
  });
});
