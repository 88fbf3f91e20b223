import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../", import.meta.url));
const BINS = {
  "nixos-stack-check": `${root}packages/check/dist/bin.js`,
  "create-nixos-stack": `${root}packages/create-nixos-stack/dist/bundle/bin.cjs`,
};

/** Runs `bin --help` with a reader that has already gone away (what `| head -1` does). */
function helpIntoClosedPipe(bin: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "--help"], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

describe("a reader that closes the pipe early (`--help | head -1`)", () => {
  for (const [name, bin] of Object.entries(BINS)) {
    it(`${name} ends quietly with status 0, no EPIPE stack`, async () => {
      const { code, stderr } = await helpIntoClosedPipe(bin);
      expect(stderr).not.toMatch(/EPIPE|Unhandled/);
      expect(code).toBe(0);
    });
  }
});
