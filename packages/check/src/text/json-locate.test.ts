import { describe, expect, it } from "vitest";
import { jsonErrorPosition, locateJsonField, parseFieldPath } from "./json-locate.js";

const manifest = `{
  "name": "x",
  "hosts": [
    {
      "name": "web",
      "deploy": { "sshPort": 70000 }
    },
    {
      "name": "Bad_Name"
    }
  ]
}
`;

describe("locateJsonField", () => {
  it("parses core's field paths", () => {
    expect(parseFieldPath('hosts[0].services[1]["odd key"]')).toEqual(["hosts", 0, "services", 1, "odd key"]);
    expect(parseFieldPath("(manifest)")).toBeUndefined();
  });

  it("finds the line of a nested field", () => {
    expect(locateJsonField(manifest, "hosts[1].name")).toBe(9);
    expect(locateJsonField(manifest, "hosts[0].deploy.sshPort")).toBe(6);
  });

  it("points a missing field at the object that lacks it", () => {
    expect(locateJsonField(manifest, "hosts[1].system")).toBe(8);
  });

  it("reads the position out of a JSON syntax error", () => {
    const text = '{\n  "a": 1,\n}';
    let message = "";
    try {
      JSON.parse(text);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(jsonErrorPosition(text, message)).toMatchObject({ line: 3 });
    expect(jsonErrorPosition(text, "Unexpected token } in JSON at position 12")).toEqual({ line: 3, column: 1 });
  });
});
