/**
 * The command the deploy scripts run inside the flake's devShell (`nix develop --command X …`)
 * must be a program the devShell's packages provide: else `nix develop` says "command not found"
 * on macOS or a non-NixOS Linux, and on a NixOS operator machine it silently runs the machine's
 * own, unpinned nixos-rebuild. The scripts are run for real against a recording `nix`, and the
 * devShell is evaluated with the real `nix eval` against the stand-in nixpkgs of each branch,
 * whose nixos-rebuild-ng models the two shapes of the upstream package
 * (test-fixtures/stub-inputs/nixpkgs/fake-packages.nix): `withNgSuffix ? true`, whose binary is
 * nixos-rebuild-ng unless overridden, and the later one without that argument.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { validateStack, type Stack, type StackInput } from "@nixos-stack/core";
import { Scratch, Stubs, runScript, toolDir } from "./test-support/deploy-repo.js";
import { FlakeRepos, nixArgs, offline } from "./test-support/flake-repo.js";
import { FLEET_TOOLS, fleetInput } from "./test-support/fleet-repo.js";
import { SURFACE_BRANCHES, type SurfaceBranch } from "./test-support/offline-inputs.js";
import { vpsInput } from "./test-support/deploy-repo.js";

const repos = new FlakeRepos("devshell");
let scratch: Scratch;
let sys: string;
let stubCount = 0;
beforeAll(() => {
  scratch = new Scratch();
  sys = toolDir(scratch.dir("sys"), FLEET_TOOLS);
});
afterAll(() => {
  repos.cleanup();
  scratch?.cleanup();
});

function valid(input: StackInput): Stack {
  const r = validateStack(input);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.stack;
}

/** The program each run of the recording `nix` was asked to run with `develop --command`. */
async function developCommands(dir: string, script: string, args: string[]): Promise<string[]> {
  const s = new Stubs(join(scratch.root, `stubs-${++stubCount}`), ["nix", "ssh", "rsync"]);
  const r = await runScript(join(dir, script), args, { path: [s.bin, sys], env: { HOME: scratch.dir("home") } });
  expect(r.exitCode, r.stderr).toBe(0);
  return s
    .calls()
    .filter((c) => c.cmd === "nix" && c.args.includes("develop"))
    .map((c) => c.args[c.args.indexOf("--command") + 1]!);
}

/** meta.mainProgram of each package of the evaluated devShell (what lib.getExe runs; the stand-ins have nothing else). */
function devShellPrograms(dir: string, branch: SurfaceBranch): string[] {
  const out = execFileSync(
    "nix",
    ["eval", "--json", "--no-write-lock-file", ".#devShells.x86_64-linux.default.packages", "--apply", "map (p: p.meta.mainProgram or p.name)", ...nixArgs(branch)],
    { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
  return JSON.parse(out) as string[];
}

describe.runIf(offline.ok).each(SURFACE_BRANCHES)("the devShell against the %s stand-in", (branch) => {
  test("update.sh's local build runs a program the devShell provides (nixos-rebuild, not nixos-rebuild-ng)", async () => {
    const dir = repos.create(valid(vpsInput()));
    const commands = await developCommands(dir, "update.sh", ["--host", "203.0.113.7", "--system", "x86"]);
    expect(commands).toEqual(["nixos-rebuild"]);
    expect(devShellPrograms(dir, branch)).toEqual(expect.arrayContaining(commands));
  });

  test("deploy.sh's nixos-rebuild deployer runs a program the devShell provides", async () => {
    const dir = repos.create(valid(fleetInput()));
    const commands = await developCommands(dir, "deploy.sh", ["media"]);
    expect(commands).toEqual(["nixos-rebuild"]);
    expect(devShellPrograms(dir, branch)).toEqual(expect.arrayContaining(commands));
  });
});
