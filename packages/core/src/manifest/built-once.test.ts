import { expect, test, vi } from "vitest";
import { builtOnce } from "./built-once.js";

test("builds nothing until first asked, then once, and hands out the same schema", () => {
  const build = vi.fn(() => ({ made: true }));
  const schema = builtOnce(build);
  expect(build).not.toHaveBeenCalled();
  const first = schema();
  expect(schema()).toBe(first);
  expect(build).toHaveBeenCalledTimes(1);
});

test("a build that throws is tried again by the next caller (nothing half-built is kept)", () => {
  let calls = 0;
  const schema = builtOnce(() => {
    calls += 1;
    if (calls === 1) throw new Error("first");
    return calls;
  });
  expect(() => schema()).toThrow("first");
  expect(schema()).toBe(2);
  expect(schema()).toBe(2);
});
