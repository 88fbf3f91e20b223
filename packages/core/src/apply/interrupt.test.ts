/** Ctrl-C for real: a child process (using the built dist/) receives SIGINT in the middle of an apply. */
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const DIST = new URL("../../dist/index.js", import.meta.url).pathname;
/** This module as built; imported with a query string it is a second instance, as a separate bundle holds one. */
const INTERRUPT_MODULE = new URL("../../dist/apply/interrupt.js", import.meta.url).pathname;

/**
 * A child that applies a 50-file tree and sends itself SIGINT while staging the 10th file (or
 * while committing), into a new directory (staged beside it) or an existing empty one (staged inside).
 */
const child = (phase: "staging" | "commit" | "after", handlerCopy = DIST) => `
import { mkdir } from "node:fs/promises";
import { apply, plan } from ${JSON.stringify(DIST)};
import { interruptApply } from ${JSON.stringify(handlerCopy)};
process.on("SIGINT", () => interruptApply());
const dir = process.argv[1];
if (process.argv[2] === "existing") await mkdir(dir);
const tree = new Map(Array.from({ length: 50 }, (_, i) => [\`f\${String(i).padStart(2, "0")}.nix\`, { content: \`{ n = \${i}; }\\n\`, mode: 0o644, ownership: "managed" }]));
let n = 0;
const p = await plan(tree, dir);
await apply(p, tree, {
  beforeStage: async () => {
    if (${JSON.stringify(phase)} === "staging" && ++n === 10) {
      process.kill(process.pid, "SIGINT");
      await new Promise((r) => setTimeout(r, 200));
    }
  },
  beforeCommit: async () => {
    if (${JSON.stringify(phase)} === "commit") {
      process.kill(process.pid, "SIGINT");
      await new Promise((r) => setTimeout(r, 200));
    }
  },
});
if (${JSON.stringify(phase)} === "after") {
  process.kill(process.pid, "SIGINT");
  await new Promise((r) => setTimeout(r, 200));
}
console.log("applied");
`;

let parent: string;
beforeEach(async () => {
  parent = await mkdtemp(join(tmpdir(), "nixos-stack-interrupt-"));
});
afterEach(() => rm(parent, { recursive: true, force: true }));

describe.runIf(existsSync(DIST)).each(["new", "existing"] as const)("Ctrl-C during apply into a %s directory", (kind) => {
  const runChild = (phase: "staging" | "commit" | "after", target: string, handlerCopy?: string) =>
    execa("node", ["--input-type=module", "-e", child(phase, handlerCopy), target, kind], { reject: false, timeout: 30_000 });

  it("while staging: exits 130, removes the staging directory, leaves the target as it was", async () => {
    const target = join(parent, "repo");
    const r = await runChild("staging", target);
    expect(r.exitCode, r.stderr).toBe(130);
    expect(r.stderr).toContain("Cancelled; nothing was written.");
    expect(await readdir(parent)).toEqual(kind === "new" ? [] : ["repo"]);
    if (kind === "existing") expect(await readdir(target)).toEqual([]);
  });

  it("while renaming into place: waits until the tree is complete, then exits 130", async () => {
    const target = join(parent, "repo");
    const r = await runChild("commit", target);
    expect(r.exitCode, r.stderr).toBe(130);
    expect(r.stderr).toContain(`Interrupted after the files were written; the repo in ${target} is complete.`);
    expect(r.stdout).not.toContain("applied");
    expect((await readdir(target)).filter((f) => f.endsWith(".nix"))).toHaveLength(50);
    expect(await readFile(join(target, "f49.nix"), "utf8")).toBe("{ n = 49; }\n");
    expect(await readdir(parent)).toEqual(["repo"]); // no staging directory beside it
    expect((await readdir(target)).filter((f) => f.includes("staging"))).toEqual([]);
  });

  it("while renaming into place, with the SIGINT handler from another copy of this module (the create bin's lazily loaded files each bundle one): still waits", async () => {
    const target = join(parent, "repo");
    const r = await runChild("commit", target, `${pathToFileURL(INTERRUPT_MODULE).href}?another-copy`);
    expect(r.exitCode, r.stderr).toBe(130);
    expect(r.stderr).toContain(`Interrupted after the files were written; the repo in ${target} is complete.`);
    expect((await readdir(target)).filter((f) => f.endsWith(".nix"))).toHaveLength(50);
  });

  it("after apply has returned (the CLI's next steps): exits 130 saying the repo is complete, never 'nothing was written'", async () => {
    const target = join(parent, "repo");
    const r = await runChild("after", target);
    expect(r.exitCode, r.stderr).toBe(130);
    expect(r.stderr).toContain(`Interrupted after the files were written; the repo in ${target} is complete.`);
    expect(r.stderr).not.toContain("nothing was written");
    expect((await readdir(target)).filter((f) => f.endsWith(".nix"))).toHaveLength(50);
  });
});
