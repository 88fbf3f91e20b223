/** The README's flag table shows the defaults that DEFAULTS (the one source) really applies. */
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { DEFAULTS, NIXPKGS_RELEASES } from "@nixos-stack/core";

const README = readFileSync(new URL("../../../../README.md", import.meta.url), "utf8");

/** The cells of the flag-table row whose first cell names the flag. */
function row(flag: string): string[] {
  const line = README.split("\n").find((l) => l.startsWith("| ") && l.split(" | ")[0]!.includes(`\`${flag}`));
  if (!line) throw new Error(`README has no flag-table row for ${flag}`);
  return line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim());
}

it.each([
  ["--admin", [DEFAULTS.adminName]],
  ["--ssh-port", [DEFAULTS.sshPort]],
  ["--time-zone", [DEFAULTS.timeZone, DEFAULTS.locale]],
  ["--nixpkgs", [DEFAULTS.nixpkgsBranch]],
  ["--disk", [DEFAULTS.diskDevice]],
])("README: the default of %s is the one the schema applies", (flag, defaults) => {
  expect(row(flag).at(-1)).toBe(defaults.map((d) => `\`${d}\``).join(", ") + (flag === "--disk" ? ", none" : ""));
});

it("README names every supported nixpkgs branch", () => {
  for (const release of NIXPKGS_RELEASES) expect(row("--nixpkgs")[1]).toContain(`\`${release.branch}\``);
});
