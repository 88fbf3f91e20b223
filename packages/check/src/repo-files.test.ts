import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { listRepoFiles } from "./repo-files.js";

const root = mkdtempSync(join(tmpdir(), "nixos-stack-repo-files-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

it("a stack in another repo's ignored folder: every file is checked, and reported as untracked", async () => {
  execFileSync("git", ["init", "-q"], { cwd: root });
  writeFileSync(join(root, ".gitignore"), "/infra/\n");
  mkdirSync(join(root, "infra/modules"), { recursive: true });
  writeFileSync(join(root, "infra/flake.nix"), "{ outputs = _: { }; }\n");
  writeFileSync(join(root, "infra/modules/a.nix"), "{ }\n");
  const files = await listRepoFiles(join(root, "infra"));
  expect(files.git).toBe(true);
  expect(files.files).toEqual(["flake.nix", "modules/a.nix"]);
  expect([...files.untracked].sort()).toEqual(["flake.nix", "modules/a.nix"]);
  expect(files.tracked.size).toBe(0);
});
