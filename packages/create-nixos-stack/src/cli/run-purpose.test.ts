import { describe, expect, it } from "vitest";
import { SUBCOMMANDS } from "../commands/names.js";
import { runPurpose } from "./run-purpose.js";

describe("runPurpose", () => {
  it("names a scaffold `create`, whatever the project is called and whatever options it has", () => {
    expect(runPurpose([])).toBe("create");
    expect(runPurpose(["my-infra", "--yes", "--no-git"])).toBe("create");
    expect(runPurpose(["fleet", "--preset", "fleet", "--yes"])).toBe("create");
  });

  it("names help and version runs wherever the flag stands", () => {
    expect(runPurpose(["--help"])).toBe("help");
    expect(runPurpose(["my-infra", "-h"])).toBe("help");
    expect(runPurpose(["add-target", "--help"])).toBe("help");
    expect(runPurpose(["-v"])).toBe("version");
    expect(runPurpose(["--version"])).toBe("version");
  });

  it("names each subcommand by its name", () => {
    for (const name of SUBCOMMANDS) expect(runPurpose([name, "--yes"])).toBe(name);
  });
});
