import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempDirs, requireBinary, tempDir } from "../../test-support/repos.js";
import { parseErrorFinding, parseNixFilesBatched, parseNixInstantiateError } from "./nix-parse.js";

afterAll(removeTempDirs);

const NIX_2_8_SYNTAX_ERROR = `error: syntax error, unexpected '=', expecting ';'

       at /repo/hosts/web/default.nix:5:27:

            4|   networking.hostName = "web"
            5|   services.openssh.enable = true;
             |                           ^
            6| }
`;

describe("parseNixInstantiateError", () => {
  it("reads the message and the file:line:column", () => {
    expect(parseNixInstantiateError(NIX_2_8_SYNTAX_ERROR)).toEqual({
      message: "syntax error, unexpected '=', expecting ';'",
      location: { path: "/repo/hosts/web/default.nix", line: 5, column: 27 },
    });
  });

  it("reads a newer Nix's layout (no blank line before `at`) and strips colours", () => {
    const text = "\u001b[31;1merror:\u001b[0m undefined variable 'settings'\n       at /repo/m.nix:7:41:\n            6| x\n";
    expect(parseNixInstantiateError(text)).toEqual({ message: "undefined variable 'settings'", location: { path: "/repo/m.nix", line: 7, column: 41 } });
  });

  it("names the file of an error that has no position", () => {
    expect(parseNixInstantiateError("error: getting status of '/repo/gone.nix': No such file or directory\n")?.location?.path).toBe("/repo/gone.nix");
  });

  it("turns an undefined variable into its own rule, with the source line", () => {
    const f = parseErrorFinding("m.nix", { message: "undefined variable 'x'", location: { path: "/r/m.nix", line: 2, column: 7 } }, (n) => (n === 2 ? "{ a = x; }" : undefined));
    expect(f).toMatchObject({ rule: "nix-undefined-variable", file: "m.nix", line: 2, column: 7, source: "{ a = x; }", severity: "error" });
  });
});

describe("parseNixFilesBatched (real nix-instantiate)", async () => {
  const hasNix = await requireBinary("nix-instantiate");

  it.runIf(hasNix)("parses a clean set of files in one process", async () => {
    const dir = await tempDir();
    const files = await Promise.all(
      [0, 1, 2, 3, 4].map(async (i) => {
        const f = join(dir, `m${i}.nix`);
        await writeFile(f, `{ lib, ... }:\n{ options.x${i} = lib.mkOption { default = ./m${i}.nix; }; }\n`);
        return f;
      }),
    );
    expect(await parseNixFilesBatched(files)).toEqual({ errors: [], processes: 1 });
  });

  it.runIf(hasNix)("reports every broken file, resuming after each, in 1 + (broken files) processes at most", async () => {
    const dir = await tempDir();
    const contents = ["{ a = 1; }", "{ a = 1\n  b = 2; }", "{ a = 1; }", "x: x + y", "{ b = 2; }"];
    const files = await Promise.all(
      contents.map(async (c, i) => {
        const f = join(dir, `f${i}.nix`);
        await writeFile(f, `${c}\n`);
        return f;
      }),
    );
    const { errors, processes } = await parseNixFilesBatched(files);
    expect(errors.map((e) => [e.file, e.error.location?.line, e.error.location?.column, e.error.message])).toEqual([
      [files[1], 2, 5, "syntax error, unexpected '=', expecting ';'"],
      [files[3], 1, 8, "undefined variable 'y'"],
    ]);
    expect(processes).toBe(3);
  });

  it.runIf(hasNix)("keeps a batch within the chunk size", async () => {
    const dir = await tempDir();
    const files = await Promise.all(
      [0, 1, 2].map(async (i) => {
        const f = join(dir, `c${i}.nix`);
        await writeFile(f, "{ }\n");
        return f;
      }),
    );
    expect((await parseNixFilesBatched(files, { chunk: 2 })).processes).toBe(2);
  });
});
