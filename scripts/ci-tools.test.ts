/**
 * Tests that need Nix, shellcheck, rsync, sshd, systemd-analyze or python3-seccomp skip (with a
 * reason) on a developer machine without them. In CI a skip would let the suite pass having
 * checked nothing, so there the tools must be present.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { expect, it } from "vitest";

const tools: [string, () => boolean][] = [
  ["nix-instantiate", () => spawnSync("nix-instantiate", ["--version"]).status === 0],
  ["nix", () => spawnSync("nix", ["--version"]).status === 0],
  ["shellcheck", () => spawnSync("shellcheck", ["--version"]).status === 0],
  ["rsync", () => spawnSync("rsync", ["--version"]).status === 0],
  ["sshd", () => existsSync("/usr/sbin/sshd")],
  // templates/src/runtime-sandbox.flake-check.test.ts: the units' syscall filter applied to node
  ["systemd-analyze", () => spawnSync("systemd-analyze", ["syscall-filter", "--no-pager", "@pkey"]).status === 0],
  ["python3-seccomp", () => spawnSync("/usr/bin/python3", ["-c", "import seccomp"]).status === 0],
];

it.runIf(Boolean(process.env.CI))("CI has every real tool the tests rely on (so no test is skipped silently)", () => {
  expect(tools.filter(([, present]) => !present()).map(([name]) => name)).toEqual([]);
});
