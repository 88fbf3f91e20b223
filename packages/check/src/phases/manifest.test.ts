import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempDirs, renderedVpsRepo, tempDir } from "../test-support/repos.js";
import { runManifestPhase } from "./manifest.js";

afterAll(removeTempDirs);

async function edit(dir: string, path: string, change: (text: string) => string): Promise<void> {
  const file = join(dir, path);
  await writeFile(file, change(await readFile(file, "utf8")));
}

describe("manifest phase", () => {
  it("finds nothing in a freshly generated repo", async () => {
    const dir = await renderedVpsRepo();
    const result = await runManifestPhase(dir);
    expect(result.status).toBe("ran");
    expect(result.findings).toEqual([]);
    expect(result.summary).toMatch(/^valid stack; (\d+)\/\1 managed files match$/);
  });

  it("flags a hand edit to a managed file at the edited line, with what was expected", async () => {
    const dir = await renderedVpsRepo();
    const before = await readFile(join(dir, "modules/security.nix"), "utf8");
    const line = before.split("\n").findIndex((l) => l.includes("PasswordAuthentication = false;")) + 1;
    await edit(dir, "modules/security.nix", (t) => t.replace("PasswordAuthentication = false;", "PasswordAuthentication = true;"));
    const [f, ...rest] = (await runManifestPhase(dir)).findings;
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ file: "modules/security.nix", line, rule: "managed-hand-edit", severity: "error", source: expect.stringContaining("PasswordAuthentication = true;") });
    expect(f!.message).toContain(`line ${line}: expected \`PasswordAuthentication = false;\`, found \`PasswordAuthentication = true;\``);
  });

  it("reports drift, not a hand edit, when the manifest changed and the files were not re-synced", async () => {
    const dir = await renderedVpsRepo();
    await edit(dir, "nixos-stack.json", (t) => t.replaceAll('"sshPort": 2222', '"sshPort": 2200'));
    const findings = (await runManifestPhase(dir)).findings;
    expect(findings.map((f) => f.rule)).toEqual(findings.map(() => "managed-drift"));
    const files = findings.map((f) => f.file);
    expect(files).toEqual(expect.arrayContaining(["hosts/vps-x86/default.nix", "hosts/vps-arm/default.nix"]));
    expect(findings.find((f) => f.file === "hosts/vps-x86/default.nix")!.message).toContain("expected `sshPort = 2200;`, found `sshPort = 2222;`");
  });

  it("tells how to re-sync with the repo's own ./stack.sh; without it (an older repo), with the published bin that writes it", async () => {
    const dir = await renderedVpsRepo();
    await edit(dir, "nixos-stack.json", (t) => t.replaceAll('"sshPort": 2222', '"sshPort": 2200'));
    const drift = (await runManifestPhase(dir)).findings.find((f) => f.file === "hosts/vps-x86/default.nix")!;
    expect(drift.message).toMatch(/: run `\.\/stack\.sh sync`$/);

    await rm(join(dir, "stack.sh"));
    const findings = (await runManifestPhase(dir)).findings;
    expect(findings.find((f) => f.file === "stack.sh")!.message).toBe("managed file is missing: run `npm create nixos-stack@latest -- --sync .` to write it again");
    expect(findings.find((f) => f.file === "hosts/vps-x86/default.nix")!.message).toMatch(/: run `npm create nixos-stack@latest -- --sync \.`$/);
  });

  it("reports a missing managed file, and a removed scaffold file only as info", async () => {
    const dir = await renderedVpsRepo();
    await rm(join(dir, "modules/system.nix"));
    await rm(join(dir, "hosts/vps-x86/configuration.nix"));
    const findings = (await runManifestPhase(dir)).findings;
    expect(findings.map((f) => [f.file, f.rule, f.severity])).toEqual([
      ["hosts/vps-x86/configuration.nix", "scaffold-missing", "info"],
      ["modules/system.nix", "managed-missing", "error"],
    ]);
  });

  it("leaves the user's edits to scaffold files alone", async () => {
    const dir = await renderedVpsRepo();
    await edit(dir, "hosts/vps-x86/configuration.nix", (t) => t.replace("pkgs.htop", "pkgs.htop\n    pkgs.tmux"));
    expect((await runManifestPhase(dir)).findings).toEqual([]);
  });

  it("points a schema error at the manifest's line", async () => {
    const dir = await renderedVpsRepo();
    const text = await readFile(join(dir, "nixos-stack.json"), "utf8");
    const line = text.split("\n").findIndex((l) => l.includes('"name": "vps-arm"')) + 1;
    await writeFile(join(dir, "nixos-stack.json"), text.replace('"name": "vps-arm"', '"name": "Bad_Name"'));
    const result = await runManifestPhase(dir);
    expect(result.findings).toEqual([expect.objectContaining({ file: "nixos-stack.json", line, rule: "manifest-schema", message: expect.stringMatching(/^hosts\[1\]\.name: "Bad_Name"/) })]);
  });

  it("points a JSON syntax error at its line", async () => {
    const dir = await renderedVpsRepo();
    await edit(dir, "nixos-stack.json", (t) => t.replace('"name": "vps-example",', '"name": "vps-example"'));
    const [f] = (await runManifestPhase(dir)).findings;
    expect(f).toMatchObject({ file: "nixos-stack.json", line: 4, rule: "manifest-schema" });
  });

  it("could not run without a manifest", async () => {
    const result = await runManifestPhase(await tempDir());
    expect(result).toMatchObject({ status: "could-not-run", reason: expect.stringContaining("no nixos-stack.json") });
  });
});
