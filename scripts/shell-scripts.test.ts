/** The monorepo's own shell scripts (setup, CI, seeding the store) pass shellcheck, as the generated ones do. */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const hasShellcheck = spawnSync("shellcheck", ["--version"]).status === 0;
const scripts = [...readdirSync(`${root}scripts`).filter((f) => f.endsWith(".sh")).map((f) => `scripts/${f}`), ".ci/run"];

it.runIf(hasShellcheck)("every script of ours is shellcheck-clean", () => {
  expect(scripts).toContain("scripts/seed-nix-inputs.sh");
  const r = spawnSync("shellcheck", ["-x", ...scripts], { cwd: root, encoding: "utf8" });
  expect(r.stdout + r.stderr).toBe("");
  expect(r.status).toBe(0);
});
