import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { directOutput } from "./direct-output.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "direct-output-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A stream that records what it was given. */
function recorder() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString("utf8"));
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  return { stream, chunks };
}

describe("directOutput", () => {
  it("writes on the descriptor, whole and in order, without making the stream", () => {
    const file = join(dir, "out.txt");
    const fd = openSync(file, "w");
    let made = 0;
    const out = directOutput(fd, () => {
      made++;
      return recorder().stream;
    });
    out.write("héllo\n");
    out.write("x".repeat(200_000));
    closeSync(fd);
    expect(readFileSync(file, "utf8")).toBe(`héllo\n${"x".repeat(200_000)}`);
    expect(out.isTTY).toBe(false); // a file, answered by fstat
    expect(out.writableLength).toBe(0);
    expect(made).toBe(0);
  });

  it("after a hand-over every write goes through the stream, which is made then", () => {
    const file = join(dir, "out.txt");
    const fd = openSync(file, "w");
    const { stream, chunks } = recorder();
    let made = 0;
    const out = directOutput(fd, () => {
      made++;
      return stream;
    });
    out.write("before\n");
    out.handOver();
    expect(made).toBe(1);
    out.write("after\n");
    closeSync(fd);
    expect(readFileSync(file, "utf8")).toBe("before\n");
    expect(chunks).toEqual(["after\n"]);
  });

  it("on Windows every write goes through the stream from the start (a console wants UTF-16)", () => {
    const { stream, chunks } = recorder();
    const out = directOutput(1, () => stream, "win32");
    out.write("héllo\n");
    expect(chunks).toEqual(["héllo\n"]);
  });

  it("/dev/null is no terminal, and is answered without node:tty", () => {
    const fd = openSync("/dev/null", "w");
    try {
      expect(directOutput(fd, () => recorder().stream).isTTY).toBe(false);
    } finally {
      closeSync(fd);
    }
  });
});
