/**
 * Property: for thousands of generated manifests, each is either rejected with
 * errors that name a real field, or renders to Nix that Debian's real Nix
 * parses, and every user string in it evaluates back to itself.
 * Nix runs in a handful of batched processes, not one per manifest.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { afterAll, expect, it } from "vitest";
import { nix, NIXPKGS_RELEASES, validateStack, type Stack } from "@nixos-stack/core";
import { renderStack } from "./index.js";
import { TEST_KEY } from "./test-support/render-to-disk.js";

const hasNix = spawnSync("nix-instantiate", ["--version"]).status === 0;
const RUNS = Number(process.env.PROPERTY_RUNS ?? 2000);
const SEED = Number(process.env.PROPERTY_SEED ?? Date.now() % 2 ** 31);

const anyText = fc.string({ unit: "binary", maxLength: 24 });
/** mostly valid, sometimes anything: keeps a good share of manifests valid */
const mostly = <T>(valid: fc.Arbitrary<T>, weight = 40) => fc.oneof({ arbitrary: valid, weight }, { arbitrary: anyText as fc.Arbitrary<unknown>, weight: 1 });
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
const keyComment = fc.oneof({ arbitrary: fc.string({ unit: "grapheme", maxLength: 30 }), weight: 8 }, { arbitrary: fc.string({ unit: "binary", maxLength: 30 }), weight: 1 });

const manifestArb = fc.record(
  {
    name: mostly(label),
    description: fc.oneof({ arbitrary: fc.string({ unit: "grapheme", maxLength: 60 }), weight: 6 }, { arbitrary: anyText, weight: 1 }, { weight: 2, arbitrary: fc.constantFrom('${builtins.readFile "/etc/shadow"}', "''${x}''", '\\"', "$${", "a\\${b}") }),
    timeZone: mostly(fc.constantFrom("UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+1", "Asia/Kolkata")),
    locale: mostly(fc.constantFrom("en_US.UTF-8", "C.UTF-8", "de_DE.UTF-8", "sr_RS.UTF-8@latin")),
    stateVersion: mostly(fc.constantFrom("24.11", "25.05", "26.05")),
    nixpkgs: fc.record({ branch: mostly(fc.constantFrom(...NIXPKGS_RELEASES.map((r) => r.branch))) }),
    admins: fc.array(
      fc.record({
        name: mostly(fc.stringMatching(/^[a-z_][a-z0-9_-]{0,8}$/)),
        sshKeys: fc.array(fc.oneof({ arbitrary: keyComment.map((c) => `${TEST_KEY.split(" ").slice(0, 2).join(" ")} ${c}`), weight: 30 }, { arbitrary: anyText, weight: 1 }), { maxLength: 2 }),
      }),
      { minLength: 1, maxLength: 2 },
    ),
    hosts: fc.array(
      fc.record(
        {
          name: mostly(label),
          system: mostly(fc.constantFrom("x86_64-linux", "aarch64-linux")),
          deploy: fc.record({ sshPort: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 65535 }), weight: 20 }, { arbitrary: fc.integer(), weight: 1 }), address: mostly(fc.constantFrom("203.0.113.7", "2001:db8::1", "vps.example.org")) }, { requiredKeys: ["sshPort"] }),
          disk: fc.record({ device: mostly(fc.constantFrom("/dev/sda", "/dev/vda", "/dev/disk/by-id/nvme-Samsung_SSD_980_1TB")) }),
          services: fc.oneof(fc.constant([]), fc.tuple(fc.integer({ min: 1024, max: 65535 }), mostly(fc.stringMatching(/^[a-z][a-z0-9]{1,8}$/))).map(([port, user]) => [{ kind: "gateway", port, user }])),
        },
        { requiredKeys: ["name"] },
      ),
      { minLength: 1, maxLength: 3 },
    ),
  },
  { requiredKeys: ["name", "admins", "hosts"] },
);

/** Does the error path point at a field of the input (or a missing field of an existing object)? */
function pathExists(input: unknown, path: string): boolean {
  if (path === "(manifest)") return true;
  const segments = [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
  let node: unknown = input;
  for (const [i, segment] of segments.entries()) {
    if (node === null || typeof node !== "object") return false;
    const next = (node as Record<string | number, unknown>)[segment];
    if (next === undefined) return i === segments.length - 1; // a missing required field
    node = next;
  }
  return true;
}

const work = mkdtempSync(join(tmpdir(), "nixos-stack-property-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** What each accepted manifest must evaluate back to. */
function expectedValues(stack: Stack) {
  return {
    description: stack.description,
    hosts: stack.hosts.map((h) => ({
      networking: { hostName: h.name },
      time: { timeZone: stack.timeZone },
      i18n: { defaultLocale: stack.locale },
      system: { stateVersion: stack.stateVersion },
      keys: Object.fromEntries(stack.admins.map((a) => [a.name, a.sshKeys])),
    })),
  };
}

it.skipIf(!hasNix)(`${RUNS} generated manifests: rejected with field errors, or rendered to Nix that parses and evaluates back (seed ${SEED})`, () => {
  const samples = fc.sample(manifestArb, { numRuns: RUNS, seed: SEED });
  const accepted: { dir: string; stack: Stack }[] = [];
  let rejected = 0;
  for (const [i, input] of samples.entries()) {
    const result = validateStack(input);
    if (!result.ok) {
      rejected++;
      expect(result.errors.length).toBeGreaterThan(0);
      for (const error of result.errors) {
        expect(pathExists(input, error.path), `error path ${error.path} is not a field of ${JSON.stringify(input)}`).toBe(true);
        expect(error.rule.length).toBeGreaterThan(5);
      }
      continue;
    }
    const dir = `r${i}`;
    for (const [path, file] of renderStack(result.stack)) {
      if (!path.endsWith(".nix")) continue;
      mkdirSync(dirname(join(work, dir, path)), { recursive: true });
      writeFileSync(join(work, dir, path), file.content);
    }
    accepted.push({ dir, stack: result.stack });
  }
  // both branches must really be exercised
  expect(accepted.length).toBeGreaterThan(RUNS / 10);
  expect(rejected).toBeGreaterThan(RUNS / 10);

  const files = accepted.flatMap(({ dir, stack }) => [`${dir}/flake.nix`, `${dir}/modules/system.nix`, `${dir}/modules/security.nix`, ...stack.hosts.flatMap((h) => [`${dir}/hosts/${h.name}/default.nix`, `${dir}/hosts/${h.name}/configuration.nix`])]);
  for (let start = 0; start < files.length; start += 2000) {
    const parsed = spawnSync("nix-instantiate", ["--parse", ...files.slice(start, start + 2000)], { cwd: work, encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
    expect(parsed.stderr).toBe("");
    expect(parsed.status).toBe(0);
  }

  const expr = `[\n${accepted
    .map(
      ({ dir, stack }) =>
        `{ description = (import ./${dir}/flake.nix).description; hosts = [ ${stack.hosts
          .map((h) => `(let m = import ./${dir}/hosts/${nix(h.name).slice(1, -1)}/default.nix { }; in { inherit (m) networking time i18n system; keys = builtins.mapAttrs (_: a: a.sshKeys) m.stack.admins; })`)
          .join(" ")} ]; }`,
    )
    .join("\n")}\n]`;
  writeFileSync(join(work, "roundtrip.nix"), expr);
  const evaluated = JSON.parse(execFileSync("nix-instantiate", ["--eval", "--strict", "--json", "roundtrip.nix"], { cwd: work, encoding: "utf8", maxBuffer: 512 * 1024 * 1024 }));
  expect(evaluated).toEqual(accepted.map(({ stack }) => expectedValues(stack)));
});
