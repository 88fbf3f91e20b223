/**
 * The built bin's output on descriptors (direct-output.ts) where a pipe misbehaves: a reader that
 * is gone (EPIPE) and a non-blocking pipe that is full (EAGAIN). Both need a real process: the
 * descriptor of a full pipe is shared with the bin.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { describe, expect, it } from "vitest";

const BIN = new URL("../../dist/bundle/bin.cjs", import.meta.url).pathname;
const env = { ...process.env, NO_COLOR: "1" };

/** The descriptor of this process's end of a child's stdin (non-blocking: libuv made it). */
const fdOf = (child: ChildProcess) => (child.stdin as unknown as { _handle: { fd: number } })._handle.fd;

async function runBin(args: string[], stdout: NodeJS.WritableStream | "pipe") {
  const bin = spawn("node", [BIN, ...args], { stdio: ["ignore", stdout as "pipe", "pipe"], env });
  let stderr = "";
  bin.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  let out = "";
  bin.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  const [code] = (await once(bin, "exit")) as [number];
  return { code, stderr, out };
}

describe.runIf(existsSync(BIN))("the bin's output on a misbehaving pipe", () => {
  it("a reader that is gone ends the run quietly (exit 0, nothing on stderr)", async () => {
    // a reader that closes its end and says so, then lingers (so this end stays a live stream)
    const reader = spawn("node", ["-e", "require('fs').closeSync(0); console.log('closed'); setTimeout(() => {}, 10000)"], { stdio: ["pipe", "pipe", "ignore"] });
    await once(reader.stdout!, "data");
    try {
      const r = await runBin(["--help"], reader.stdin!);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
    } finally {
      reader.kill();
    }
  });

  it("a reader that is gone does not change the exit code: a sync that meets a hand edit still exits 1 and says so on stderr", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "direct-output-e2e-"));
    try {
      const env2 = { ...env, HOME: scratch, GIT_CONFIG_GLOBAL: "/dev/null" };
      const made = spawnSync("node", [BIN, "repo", "--yes", "--no-git"], { cwd: scratch, env: env2 });
      expect(made.status, made.stderr.toString()).toBe(0);
      const dir = join(scratch, "repo");
      writeFileSync(join(dir, "modules/security.nix"), "# my hand edit\n{ }\n");
      const reader = spawn("node", ["-e", "require('fs').closeSync(0); console.log('closed'); setTimeout(() => {}, 10000)"], { stdio: ["pipe", "pipe", "ignore"] });
      await once(reader.stdout!, "data");
      try {
        const bin = spawn("node", [BIN, "--sync"], { cwd: dir, stdio: ["ignore", reader.stdin!, "pipe"], env: env2 });
        let stderr = "";
        bin.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
        const [code] = (await once(bin, "exit")) as [number];
        expect(stderr).toContain("generated files edited by hand: modules/security.nix; nothing was written.");
        expect(code).toBe(1);
      } finally {
        reader.kill();
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it("a full non-blocking pipe: the text goes whole, after what was already in it, once the reader reads", async () => {
    const help = (await runBin(["--help"], "pipe")).out;
    expect(help).toContain("Usage: create-nixos-stack");
    // a reader that starts reading only after the bin has met the full pipe
    const reader = spawn("node", ["-e", "setTimeout(() => process.stdin.pipe(process.stdout), 1500)"], { stdio: ["pipe", "pipe", "ignore"] });
    let read = "";
    reader.stdout!.on("data", (d: Buffer) => (read += d.toString()));
    // fill it to the last byte from here, synchronously, so nothing of ours is queued to compete
    const fd = fdOf(reader);
    let filled = 0;
    for (let chunk = 65536; chunk >= 1; chunk = Math.floor(chunk / 2)) {
      for (;;) {
        try {
          filled += writeSync(fd, Buffer.alloc(chunk, "."));
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== "EAGAIN") throw err;
          break;
        }
      }
    }
    expect(filled).toBeGreaterThan(0);
    const r = await runBin(["--help"], reader.stdin!);
    expect(r.code, r.stderr).toBe(0);
    reader.stdin!.end();
    await once(reader, "exit");
    expect(read).toBe(".".repeat(filled) + help);
  });
});
