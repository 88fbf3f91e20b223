import { describe, expect, it } from "vitest";
import { colors, createColors } from "./io.js";

describe("colours", () => {
  it("are ANSI's foreground colours when on, and the text itself when off", () => {
    const on = createColors(true);
    expect([on.green("x"), on.red("x"), on.yellow("x")]).toEqual(["\u001b[32mx\u001b[39m", "\u001b[31mx\u001b[39m", "\u001b[33mx\u001b[39m"]);
    const off = createColors(false);
    expect([off.green("x"), off.red("x"), off.yellow("x")]).toEqual(["x", "x", "x"]);
  });

  it("are on only on a terminal without NO_COLOR, which is read first", () => {
    let asked = 0;
    const stdout = (isTTY: boolean) => ({ write: () => true, get isTTY() { asked++; return isTTY; } });
    const io = (isTTY: boolean, env: NodeJS.ProcessEnv) => ({ stdout: stdout(isTTY), stderr: stdout(false), stdinIsTTY: false, env });
    expect(colors(io(true, {})).green("x")).not.toBe("x");
    expect(colors(io(false, {})).green("x")).toBe("x");
    asked = 0;
    expect(colors(io(true, { NO_COLOR: "" })).green("x")).toBe("x");
    expect(asked).toBe(0);
  });
});
