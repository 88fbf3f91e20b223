/** add-target and remove-target through the BUILT bin (run `pnpm build` first), on a VPS repo the bin generated. */
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const BIN = new URL("../../dist/bundle/bin.cjs", import.meta.url).pathname;
const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcX1PMW5w64NT4JWF/8hIxn4Dmsk/kxon2LnnW2nn1u me@laptop";
const MY_CONFIG = "{ pkgs, ... }:\n{\n  # mine\n  environment.systemPackages = [ pkgs.htop ];\n}\n";

let cwd: string;
let repo: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), "nixos-stack-edit-cli-"));
  repo = join(cwd, "repo");
});
afterEach(() => rm(cwd, { recursive: true, force: true }));

/** The bin with stdin not a terminal (so it never asks), in `dir`. */
const bin = (args: string[], dir = repo) => execa("node", [BIN, ...args], { cwd: dir, reject: false, timeout: 30_000, env: { HOME: cwd, NO_COLOR: "1" } });
const read = (path: string) => readFile(join(repo, path), "utf8");

async function snapshot(dir = repo): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out[relative(dir, join(e.parentPath, e.name))] = await readFile(join(e.parentPath, e.name), "utf8");
  return out;
}

/** A repo from `create-nixos-stack --yes`, with the user's usual edits: a host's configuration.nix, .gitignore, and a reformatted manifest. */
async function editedRepo(): Promise<{ manifest: string }> {
  expect((await bin(["repo", "--yes", "--no-git", "--ssh-key", KEY], cwd)).exitCode).toBe(0);
  await writeFile(join(repo, "hosts/vps-x86/configuration.nix"), MY_CONFIG);
  await writeFile(join(repo, ".gitignore"), `${await read(".gitignore")}/my-notes/\n`);
  const manifest = JSON.stringify(JSON.parse(await read("nixos-stack.json")), null, 4);
  await writeFile(join(repo, "nixos-stack.json"), manifest); // four spaces, no final newline
  return { manifest };
}

describe.runIf(existsSync(BIN))("create-nixos-stack add-target / remove-target", () => {
  it("adds a second VPS: its files, flake, inventory and README host table; every user file byte for byte", async () => {
    const { manifest } = await editedRepo();
    const before = await snapshot();
    const r = await bin(["add-target", "--name", "vps-3", "--system", "x86", "--address", "203.0.113.12"]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/create\s+hosts\/vps-3\/default\.nix/);
    expect(r.stdout).toContain("vps-3 runs no services (the other hosts run gateway)");

    expect(await read("hosts/vps-3/default.nix")).toContain("sshPort = 2222;");
    expect(existsSync(join(repo, "hosts/vps-3/configuration.nix"))).toBe(true);
    expect(await read("flake.nix")).toMatch(/vps-3 = \{\s*system = "x86_64-linux";/);
    expect(await read("deploy/inventory.sh")).toMatch(/STACK_HOSTS=\( vps-x86 vps-arm vps-3 \)/);
    expect(await read("README.md")).toContain("| vps-3 | x86\\_64-linux | vps | — | root:2222 | 203.0.113.12 | — |");
    for (const path of ["hosts/vps-x86/configuration.nix", ".gitignore", "hosts/vps-arm/configuration.nix", "package.json"]) expect(await read(path), path).toBe(before[path]);
    // the manifest keeps the user's layout: four-space indent, no final newline, one host appended
    const after = await read("nixos-stack.json");
    expect(after.startsWith(manifest.slice(0, manifest.lastIndexOf("}\n    ]")))).toBe(true);
    expect(after).toMatch(/\n {8}\{\n {12}"name": "vps-3",\n/);
    expect(after.endsWith("\n    ]\n}")).toBe(true);
    // and the repo is in sync with it: a --sync afterwards has nothing to do
    const sync = await execa("node", [BIN, "--sync", "--dry-run"], { cwd: repo, reject: false, env: { NO_COLOR: "1" } });
    expect(sync.stdout).not.toMatch(/^\s+(create|update|CONFLICT)\s/m);
  });

  it("--dry-run prints the plan and writes nothing", async () => {
    await editedRepo();
    const before = await snapshot();
    const r = await bin(["add-target", "--name", "vps-3", "--dry-run"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^Dry run: add-target vps-3/);
    expect(r.stdout).toMatch(/create\s+hosts\/vps-3\/default\.nix/);
    expect(r.stdout).toMatch(/update\s+nixos-stack\.json/);
    expect(r.stdout).toContain("Nothing was written.");
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    [["add-target", "--name", "vps-arm"], 1, `hosts[2].name: "vps-arm" — is already the name of hosts[1]; host names must be unique`],
    [["add-target", "--name", "Lab_1"], 1, `hosts[2].name: "Lab_1" — use lowercase letters, digits and '-'`],
    [["add-target", "--name", "lab", "--disk", "/tmp/disk"], 1, `hosts[2].disk.device: "/tmp/disk" — use a whole-disk device`],
    [["add-target", "--name", "lab", "--system", "riscv"], 2, `"riscv" is not a system`],
    [["add-target", "--name", "lab", "--ssh-port", "0"], 2, `"0" is not a port`],
    [["add-target"], 2, "--name is required: nothing can be asked here"],
    [["add-target", "--name", "--yes"], 2, `--name needs a value, and "--yes" looks like the next option`],
    [["remove-target", "--name", "nope"], 1, `--name: "nope" is not a host of nixos-stack.json; its hosts are vps-x86, vps-arm`],
    [["remove-target"], 2, "--name is required"],
  ])("%j exits %i with a message naming the field, and changes nothing", async (args, code, message) => {
    await editedRepo();
    const before = await snapshot();
    const r = await bin(args as string[]);
    expect(r.exitCode, r.stderr).toBe(code);
    expect(r.stderr).toContain(message);
    expect(await snapshot()).toEqual(before);
  });

  it("a hand-edited generated file stops it: exit 1, the file named, nothing written", async () => {
    await editedRepo();
    await writeFile(join(repo, "flake.nix"), `${await read("flake.nix")}# mine\n`);
    const before = await snapshot();
    const r = await bin(["add-target", "--name", "vps-3"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("generated files edited by hand: flake.nix. Nothing was written");
    expect(await snapshot()).toEqual(before);
  });

  it("remove-target deletes the untouched generated files, keeps a hand-edited one and the user's own, saying so", async () => {
    await editedRepo();
    expect((await bin(["add-target", "--name", "vps-3"])).exitCode).toBe(0);
    expect((await bin(["add-target", "--name", "vps-4", "--address", "vps-4.example.org"])).exitCode).toBe(0);
    const untouched = await bin(["remove-target", "--name", "vps-3"]);
    expect(untouched.exitCode, untouched.stderr).toBe(0);
    expect(untouched.stdout).toMatch(/delete\s+hosts\/vps-3\/default\.nix/);
    expect(untouched.stdout).toContain("Your own files stay: hosts/vps-3/configuration.nix");
    expect(existsSync(join(repo, "hosts/vps-3/default.nix"))).toBe(false);
    expect(existsSync(join(repo, "hosts/vps-3/configuration.nix"))).toBe(true);

    await writeFile(join(repo, "hosts/vps-4/default.nix"), "# I changed this\n{ }\n");
    const edited = await bin(["remove-target", "--name", "vps-4"]);
    expect(edited.exitCode, edited.stderr).toBe(0);
    expect(edited.stderr).toContain("no longer generated, but edited by hand, so left in place: hosts/vps-4/default.nix");
    expect(await read("hosts/vps-4/default.nix")).toBe("# I changed this\n{ }\n");
    expect(await read("flake.nix")).not.toMatch(/vps-[34]/);
    expect(JSON.parse(await read("nixos-stack.json")).hosts.map((h: { name: string }) => h.name)).toEqual(["vps-x86", "vps-arm"]);
    expect(await read("hosts/vps-x86/configuration.nix")).toBe(MY_CONFIG);
  });

  it("runs on a repo elsewhere with --dir, and says where it found none", async () => {
    await editedRepo();
    const r = await bin(["add-target", "--dir", "repo", "--name", "vps-3"], cwd);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(existsSync(join(repo, "hosts/vps-3/default.nix"))).toBe(true);
    const none = await bin(["add-target", "--name", "vps-3"], cwd);
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toContain(`${join(cwd, "nixos-stack.json")}: not found; run this inside a nixos-stack repo, or pass its directory with --dir`);
  });
});

/** The bin in a pseudo-terminal (util-linux `script`); each prompt is answered once it is on the screen. */
async function inTerminal(args: string[], answers: [RegExp, string][]) {
  const command = ["node", BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
  const child = execa("script", ["-qec", command, "/dev/null"], { cwd: repo, stdin: "pipe", reject: false, timeout: 30_000, env: { HOME: cwd, NO_COLOR: "1", TERM: "dumb" } });
  let screen = "";
  const pending = [...answers];
  child.stdout!.on("data", (chunk: Buffer) => {
    screen += chunk.toString();
    while (pending.length && pending[0]![0].test(screen)) child.stdin!.write(pending.shift()![1]);
  });
  const r = await child;
  return { exitCode: r.exitCode, screen, unanswered: pending.length };
}

const haveScript = (await execa("sh", ["-c", "command -v script"], { reject: false })).exitCode === 0;

describe.runIf(existsSync(BIN) && haveScript)("in a terminal", () => {
  it("asks what no flag answered, offering the repo's defaults", async () => {
    await editedRepo();
    const r = await inTerminal(
      ["add-target", "--address", "203.0.113.40"],
      [
        [/Name of the new target/, "vps-9\r"],
        [/Its architecture/, "\r"],
        [/What it is for/, "\r"],
        [/Tags/, "\r"],
      ],
    );
    expect(r.exitCode, r.screen).toBe(0);
    expect(r.unanswered).toBe(0);
    expect(r.screen).not.toContain("Its address"); // given by its flag
    expect(JSON.parse(await read("nixos-stack.json")).hosts[2]).toMatchObject({ name: "vps-9", system: "x86_64-linux", profile: "vps", deploy: { address: "203.0.113.40" } });
  });

  it("--yes asks nothing, even in a terminal: a missing --name is a usage error", async () => {
    await editedRepo();
    const r = await inTerminal(["add-target", "--yes"], []);
    expect(r.exitCode).toBe(2);
    expect(r.screen).toContain("--name is required");
    expect(r.screen).not.toContain("Name of the new target");
  });
});
