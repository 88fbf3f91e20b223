/**
 * The fast path must never change what a command line means: whenever it parses one, the flags
 * and directory are exactly commander's; everything else is left to commander.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCommonArgs } from "./fast-args.js";
import { CREATE_OPTIONS } from "./options.js";
import { buildProgram } from "./program.js";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 2000);
const SEED = Number(process.env.PROPERTY_SEED ?? Date.now() % 2 ** 31);

/** commander's reading of `args`, or "error" when it refuses them (or prints help/version). */
function commanderParse(args: string[]) {
  const program = buildProgram("0.0.0")
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {} });
  try {
    program.parse(["node", "create-nixos-stack", ...args]);
  } catch {
    return "error" as const;
  }
  return { flags: program.opts(), directory: program.args[0] };
}

const names = CREATE_OPTIONS.flatMap((o) => o.flags.split(/,? /).filter((part) => part.startsWith("-")));
const token = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...names) },
  { weight: 2, arbitrary: fc.constantFrom(...names.filter((n) => n.startsWith("--"))).chain((n) => fc.constantFrom("", "vps", "2200", "x y", "-x", "--yes").map((v) => `${n}=${v}`)) },
  { weight: 2, arbitrary: fc.constantFrom("-h", "--help", "-v", "--version", "--", "-", "-yf", "-pvps", "--bogus", "--git", "--gateway", "--Yes", "-x", "-1") },
  { weight: 5, arbitrary: fc.constantFrom("my-infra", "", "vps", "2222", "0", "65536", "22x", "/dev/vda", "nixos-unstable", "a b", "-x", "--yes") },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);

describe("parseCommonArgs", () => {
  it("parses the common command lines itself, so commander is not loaded for them", () => {
    for (const args of [["my-infra", "--yes", "--no-git"], [], ["--yes"], ["x", "--ssh-port", "2200", "--name=web", "-y", "--no-gateway", "--dry-run", "-f"], ["-c", "answers.json", "dir"]]) {
      expect(parseCommonArgs(args), JSON.stringify(args)).toBeDefined();
    }
  });

  it("leaves help, version, errors and unusual syntax to commander", () => {
    for (const args of [["--help"], ["-v"], ["a", "b"], ["--ssh-port", "0"], ["--ssh-port"], ["--yes=1"], ["--git"], ["--name", "-x"], ["--name=-x"], ["--ssh-key", "--yes"], ["--ssh-port=-1"], ["-yf"], ["--", "dir"]]) {
      expect(parseCommonArgs(args), JSON.stringify(args)).toBeUndefined();
    }
  });

  it("collects every --ssh-key given, in order, as commander does", () => {
    const args = ["--ssh-key", "a.pub", "--ssh-key=ssh-ed25519 AAAA b", "-y"];
    expect(parseCommonArgs(args)?.flags.sshKey).toEqual(["a.pub", "ssh-ed25519 AAAA b"]);
    expect(commanderParse(args)).toMatchObject({ flags: { sshKey: ["a.pub", "ssh-ed25519 AAAA b"] } });
  });

  it("gives exactly commander's flags and directory for every command line it parses", () => {
    let parsedFast = 0;
    fc.assert(
      fc.property(fc.array(token, { maxLength: 7 }), (args) => {
        const fast = parseCommonArgs(args);
        if (fast === undefined) return;
        parsedFast++;
        expect(commanderParse(args)).toStrictEqual({ flags: { ...fast.flags }, directory: fast.directory });
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // the comparison above is only worth something if the fast path took a fair share of the lines
    expect(parsedFast).toBeGreaterThan(RUNS / 20);
  });
});
