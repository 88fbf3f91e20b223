import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { main, overrideInputsFromArgv, type Io } from "./cli.js";
import { copyFixture, gitInit, removeTempDirs, renderedVpsRepo, requireBinary, tempDir } from "./test-support/repos.js";

afterAll(removeTempDirs);

function fakeIo(options: { tty?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  let out = "";
  let err = "";
  const io: Io = {
    stdout: Object.assign({ write: (s: string) => ((out += s), true) } as unknown as NodeJS.WritableStream, { isTTY: options.tty ?? false }),
    stderr: { write: (s: string) => ((err += s), true) } as unknown as NodeJS.WritableStream,
    env: options.env ?? {},
    cwd: "/",
  };
  return { io, out: () => out, err: () => err };
}

const run = (args: string[], io: Io) => main(["node", "nixos-stack-check", ...args], io);

describe("overrideInputsFromArgv", () => {
  it("reads each --override-input pair", () => {
    expect(overrideInputsFromArgv(["--override-input", "nixpkgs", "/srv/nixpkgs", ".", "--override-input", "disko", "../disko"])).toEqual([
      { name: "nixpkgs", path: "/srv/nixpkgs" },
      { name: "disko", path: "../disko" },
    ]);
  });
  it("refuses a pair with a missing value", () => {
    expect(() => overrideInputsFromArgv(["--override-input", "nixpkgs"])).toThrow(/needs two values/);
  });
});

describe("nixos-stack-check", async () => {
  const hasNix = await requireBinary("nix-instantiate");

  it("prints help and exits 0", async () => {
    const t = fakeIo();
    expect(await run(["--help"], t.io)).toBe(0);
    expect(t.out()).toContain("--override-input <name> <path>");
    expect(t.out()).toContain("Exit codes: 0 sound, 1 findings");
  });

  it("exits 2 on an unknown phase, naming the phases", async () => {
    const t = fakeIo();
    expect(await run(["--phase", "lint"], t.io)).toBe(2);
    expect(t.err()).toContain('"lint" is not a phase: use manifest, static, flake');
  });

  it.runIf(hasNix)("exits 1 with each finding at file:line:column, without colour off a TTY", async () => {
    const dir = await copyFixture("static-broken");
    await gitInit(dir);
    const t = fakeIo();
    expect(await run([dir, "--phase", "static"], t.io)).toBe(1);
    expect(t.out()).toContain("hosts/web/default.nix:5:27  syntax error, unexpected '=', expecting ';'");
    expect(t.out()).toContain("modules/extra.nix:7:41  undefined variable 'settings'");
    expect(t.out()).toContain("deploy/broken.sh:5  syntax error near unexpected token `fi'");
    expect(t.out()).toMatch(/✖ not sound: 3 errors, 0 warnings/);
    expect(t.out()).not.toContain("\u001b[");
  });

  it.runIf(hasNix)("--json prints one record per finding", async () => {
    const dir = await copyFixture("static-broken");
    await gitInit(dir);
    const t = fakeIo();
    expect(await run([dir, "--phase", "static", "--json"], t.io)).toBe(1);
    const data = JSON.parse(t.out());
    expect(data.findings.filter((f: { severity: string }) => f.severity === "error").map((f: { file: string; line: number }) => `${f.file}:${f.line}`)).toEqual([
      "deploy/broken.sh:5",
      "hosts/web/default.nix:5",
      "modules/extra.nix:7",
    ]);
  });

  it.runIf(hasNix)("colours on a TTY, but never with NO_COLOR or --no-color", async () => {
    const dir = await copyFixture("static-broken");
    await gitInit(dir);
    const tty = fakeIo({ tty: true });
    await run([dir, "--phase", "static"], tty.io);
    expect(tty.out()).toContain("\u001b[31m");
    const noColor = fakeIo({ tty: true, env: { NO_COLOR: "1" } });
    await run([dir, "--phase", "static"], noColor.io);
    expect(noColor.out().replace(/\r\u001b\[K/g, "")).not.toMatch(/\u001b\[\d/);
    const flag = fakeIo({ tty: true });
    await run([dir, "--phase", "static", "--no-color"], flag.io);
    expect(flag.out().replace(/\r\u001b\[K/g, "")).not.toMatch(/\u001b\[\d/);
  });

  it.runIf(hasNix)("exits 0 on a freshly generated repo", async () => {
    const dir = await renderedVpsRepo();
    await gitInit(dir);
    const t = fakeIo();
    expect(await run([dir, "--phase", "manifest,static"], t.io)).toBe(0);
    expect(t.out()).toMatch(/✔ sound: manifest, static passed/);
  });

  it("exits 2 with the reason when a phase could not run", async () => {
    const t = fakeIo();
    expect(await run([await tempDir(), "--phase", "manifest"], t.io)).toBe(2);
    expect(t.out()).toContain("could not run: no nixos-stack.json");
  });

  it("exits 2 for a directory that does not exist", async () => {
    const t = fakeIo();
    expect(await run(["/nonexistent/repo"], t.io)).toBe(2);
    expect(t.err()).toContain("/nonexistent/repo is not a directory");
  });
});

describe("the built bin (end to end)", async () => {
  const bin = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
  const built = existsSync(bin);
  if (!built) console.warn(`skipped: ${bin} is not built (pnpm build)`);
  const hasNix = await requireBinary("nix-instantiate");

  // --phase static: the bin's manifest phase renders with templates' dist, which only `pnpm build` keeps current
  it.runIf(built && hasNix)("exits 0 on a generated repo and 1 on the broken fixture, with the findings in --json", async () => {
    const sound = await renderedVpsRepo();
    await gitInit(sound);
    const ok = await execa("node", [bin, sound, "--phase", "static", "--json"], { reject: false });
    expect(ok.exitCode).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ exitCode: 0, findings: [] });

    const broken = await copyFixture("static-broken");
    await gitInit(broken);
    const bad = await execa("node", [bin, "--phase", "static"], { cwd: broken, reject: false });
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toContain("hosts/web/default.nix:5:27");
  });
});
