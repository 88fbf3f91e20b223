import { describe, expect, it, vi } from "vitest";
import { exitWhenFlushed } from "./exit-when-flushed.js";

describe("exitWhenFlushed", () => {
  it("exits with main()'s code when stdout and stderr hold nothing unwritten", () => {
    const exit = vi.fn();
    expect(exitWhenFlushed(2, [{ writableLength: 0 }, { writableLength: 0 }], exit)).toBe(true);
    expect(exit).toHaveBeenCalledExactlyOnceWith(2);
  });

  it("leaves the end to Node (which writes the rest first) when either stream has bytes queued", () => {
    const exit = vi.fn();
    expect(exitWhenFlushed(0, [{ writableLength: 0 }, { writableLength: 17 }], exit)).toBe(false);
    expect(exitWhenFlushed(0, [{ writableLength: 4096 }, { writableLength: 0 }], exit)).toBe(false);
    expect(exit).not.toHaveBeenCalled();
  });
});
