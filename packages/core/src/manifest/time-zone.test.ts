import { expect, it, vi } from "vitest";
import { timeZoneProblem } from "./time-zone.js";

it.each(["UTC", "Etc/UTC", "Etc/GMT+1", "Etc/GMT-14", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Asia/Kolkata", "Asia/Calcutta", "Europe/Kyiv", "America/North_Dakota/New_Salem"])(
  "accepts the tz database name %s",
  (zone) => expect(timeZoneProblem(zone)).toBeUndefined(),
);

it.each([
  ["Mars/Olympus", "is not in the tz database"],
  ["Etc/GMT+13", "is not in the tz database"],
  ["europe/berlin", 'did you mean "Europe/Berlin"?'],
  ["utc", 'did you mean "UTC"?'],
  ["asia/kolkata", 'did you mean "Asia/Kolkata"?'],
  ["US/Eastern", 'is an old alias in the tz database: use "America/New_York"'],
])("refuses %s: %s", (zone, message) => expect(timeZoneProblem(zone)).toContain(message));

it("accepts UTC and the names it lists itself without building ICU's zone list", async () => {
  vi.resetModules();
  const list = vi.spyOn(Intl, "supportedValuesOf");
  try {
    const fresh = await import("./time-zone.js");
    expect(fresh.timeZoneProblem("UTC")).toBeUndefined();
    expect(fresh.timeZoneProblem("Asia/Kolkata")).toBeUndefined();
    expect(list).not.toHaveBeenCalled();
    expect(fresh.timeZoneProblem("Europe/Berlin")).toBeUndefined();
    expect(list).toHaveBeenCalledWith("timeZone");
  } finally {
    list.mockRestore();
  }
});
