import { describe, expect, it } from "vitest";
import { absoluteOverrides, dockerCommand, localCommand, resolveRunner, type RunnerProbes } from "./runners.js";

const probes = (nix: string | undefined, docker: boolean): RunnerProbes => ({
  localNix: async () => nix,
  docker: async () => (docker ? { ok: true } : { ok: false, reason: "no `docker` on PATH" }),
});

describe("localCommand", () => {
  it("passes the experimental features and evaluates without building by default", () => {
    expect(localCommand("/work/repo", {})).toEqual({
      file: "nix",
      args: ["--extra-experimental-features", "nix-command flakes", "flake", "check", "--no-build", "--keep-going", "--show-trace", "--no-write-lock-file"],
      cwd: "/work/repo",
    });
  });

  it("builds with --build and passes each --override-input through", () => {
    const { args } = localCommand("/r", { build: true, overrideInputs: [{ name: "nixpkgs", path: "/srv/nixpkgs" }, { name: "disko", path: "/srv/disko" }] });
    expect(args).not.toContain("--no-build");
    expect(args.slice(-6)).toEqual(["--override-input", "nixpkgs", "/srv/nixpkgs", "--override-input", "disko", "/srv/disko"]);
  });
});

describe("dockerCommand", () => {
  it("is exactly this command line", () => {
    expect(dockerCommand({ mountRoot: "/home/me/infra", subdir: "" }, {})).toEqual({
      file: "docker",
      args: [
        "run",
        "--rm",
        "-v",
        "/home/me/infra:/repo",
        "-w",
        "/repo",
        "-v",
        "nixos-stack-nix:/nix",
        "nixos/nix",
        "sh",
        "-c",
        "git config --global --add safe.directory '*' && git config --global --add safe.directory /repo && exec nix --extra-experimental-features 'nix-command flakes' flake check --no-build --keep-going --show-trace --no-write-lock-file",
      ],
    });
  });

  it("mounts the git root and works in the flake's subdirectory, and mounts local inputs read-only", () => {
    const { args } = dockerCommand(
      { mountRoot: "/home/me/mono", subdir: "infra/prod" },
      { build: true, overrideInputs: [{ name: "nixpkgs", path: "/srv/my nixpkgs" }, { name: "disko", path: "github:nix-community/disko" }] },
    );
    expect(args).toEqual([
      "run",
      "--rm",
      "-v",
      "/home/me/mono:/repo",
      "-v",
      "/srv/my nixpkgs:/inputs/nixpkgs:ro",
      "-w",
      "/repo/infra/prod",
      "-v",
      "nixos-stack-nix:/nix",
      "nixos/nix",
      "sh",
      "-c",
      "git config --global --add safe.directory '*' && git config --global --add safe.directory /repo && exec nix --extra-experimental-features 'nix-command flakes' flake check --keep-going --show-trace --no-write-lock-file --override-input nixpkgs /inputs/nixpkgs --override-input disko github:nix-community/disko",
    ]);
  });
});

describe("absoluteOverrides", () => {
  it("resolves relative and home paths, and leaves flake references alone", () => {
    expect(absoluteOverrides([{ name: "a", path: "../nixpkgs" }, { name: "b", path: "github:o/r" }, { name: "c", path: "~/src/disko" }], "/home/me/infra", "/home/me")).toEqual([
      { name: "a", path: "/home/me/nixpkgs" },
      { name: "b", path: "github:o/r" },
      { name: "c", path: "/home/me/src/disko" },
    ]);
  });

  it("an existing directory given without ./ is a path, not a registry name; a registry name stays one", () => {
    const cwd = new URL("../../../", import.meta.url).pathname; // packages/check
    expect(absoluteOverrides([{ name: "a", path: "test-fixtures" }, { name: "nixpkgs", path: "nixpkgs" }], cwd)).toEqual([
      { name: "a", path: `${cwd}test-fixtures` },
      { name: "nixpkgs", path: "nixpkgs" },
    ]);
  });
});

describe("resolveRunner", () => {
  it("auto prefers the local nix, then Docker", async () => {
    expect(await resolveRunner("auto", probes("/usr/bin/nix", true))).toEqual({ ok: true, runner: "local", nix: "/usr/bin/nix" });
    expect(await resolveRunner("auto", probes(undefined, true))).toEqual({ ok: true, runner: "docker" });
  });

  it("auto with neither says how to get either", async () => {
    const r = await resolveRunner("auto", probes(undefined, false));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toContain("install Nix (https://nixos.org/download");
      expect(r.reason).toContain("start a Docker engine");
    }
  });

  it("an explicit runner is not swapped for the other", async () => {
    expect(await resolveRunner("docker", probes("/usr/bin/nix", false))).toMatchObject({ ok: false, reason: expect.stringContaining("--runner docker") });
    expect(await resolveRunner("local", probes(undefined, true))).toMatchObject({ ok: false, reason: expect.stringContaining("--runner local") });
  });
});
