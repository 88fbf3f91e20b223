/**
 * Every declaration of the hand-written nixpkgs option surface is held to a row of the audit
 * table in option-surface/README.md: the upstream file that declares it, the commit or branch it
 * was read at, and the result of the audit. The declarations are listed by evaluating each
 * branch's surface with the real module system (option-surface/list-options.nix), so an option
 * added without a row, a row without its citation, and a stale row all fail here.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { offlineFlakeCheck, STUB_INPUTS, SURFACE_BRANCHES } from "./test-support/offline-inputs.js";
import { auditRowOf, parseAuditTable, rowProblems } from "./test-support/surface-audit.js";

const offline = offlineFlakeCheck();
const SURFACE = join(STUB_INPUTS, "nixpkgs/option-surface");
const table = parseAuditTable(readFileSync(join(SURFACE, "README.md"), "utf8"));

function declaredOptions(branch: string): { path: string; files: string[] }[] {
  const lib = offline.ok ? offline.path : "";
  const expr = `import ${join(SURFACE, "list-options.nix")} { lib = import ${lib}/lib; branch = "${branch}"; }`;
  return JSON.parse(execFileSync("nix-instantiate", ["--eval", "--strict", "--json", "-E", expr], { encoding: "utf8", maxBuffer: 64 << 20 }));
}

describe("the audit table", () => {
  it("every row names an upstream file, the commit or branch it was read at, and a result", () => {
    expect(table.length).toBeGreaterThan(40);
    expect(table.flatMap(rowProblems)).toEqual([]);
  });

  it("a row without its citation is reported, naming the option", () => {
    const [row] = parseAuditTable("| option | upstream file | read at | result |\n|---|---|---|---|\n| `services.foo` | somewhere | NixOS/nixpkgs (a copy) | |\n");
    expect(rowProblems(row!)).toEqual([
      "services.foo: the upstream file must be a nixpkgs path in backticks (`nixos/…`, `pkgs/…` or `lib/…`), not `somewhere`",
      "services.foo: read at must name owner/repo@<commit> or a branch, not `NixOS/nixpkgs (a copy)`",
      "services.foo: no audit result",
    ]);
  });

  it("an option's row is its longest prefix at a dot", () => {
    const rows = parseAuditTable("| option | upstream file | read at | result |\n|---|---|---|---|\n| `services.nginx` | `a.nix` | x/y@1 | same |\n| `services.nginx.virtualHosts.<name>` | `b.nix` | x/y@1 | same |\n");
    expect(auditRowOf("services.nginx.virtualHosts.<name>.forceSSL", rows)?.files).toEqual(["b.nix"]);
    expect(auditRowOf("services.nginx.enable", rows)?.files).toEqual(["a.nix"]);
    expect(auditRowOf("services.nginxx", rows)).toBeUndefined();
  });
});

describe.skipIf(!offline.ok)("every declaration has its audited row", () => {
  const declared = SURFACE_BRANCHES.map((branch) => ({ branch, options: declaredOptions(branch) }));

  it.each(SURFACE_BRANCHES)("%s: no declared option without a row", (branch) => {
    const options = declared.find((d) => d.branch === branch)!.options;
    expect(options.length).toBeGreaterThan(250);
    const orphans = options.filter((o) => auditRowOf(o.path, table) === undefined).map((o) => `${o.path} (${o.files.join(", ")})`);
    expect(orphans, "add a row to option-surface/README.md for each").toEqual([]);
  });

  it("no row without a declared option on some branch (a stale row)", () => {
    const all = declared.flatMap((d) => d.options.map((o) => o.path));
    const stale = table.filter((row) => !all.some((path) => auditRowOf(path, table) === row)).map((row) => row.option);
    expect(stale).toEqual([]);
  });
});
