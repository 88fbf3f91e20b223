/**
 * The common command lines (`my-infra --yes --no-git --ssh-port 2200 …`) parsed straight from the
 * option table, without loading commander: it is a fifth of the bin and its start-up cost is most
 * of a `--yes` run's argument handling. Anything else — --help, --version, an unknown or malformed
 * flag, a bad value, `--`, grouped short flags, a value that starts with '-' — returns undefined,
 * and commander parses it (and prints its own help or error). The result equals commander's
 * (fast-args.test.ts checks both on generated command lines).
 */
import { CREATE_OPTIONS, type CreateFlags, type CreateOption } from "./options.js";

interface FlagSpec {
  attribute: string;
  takesValue: boolean;
  /** `--no-x`: x is true unless the flag is given */
  negate: boolean;
  option: CreateOption;
}

const camelCase = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** `-s, --long-name <value>` → its short and long names, the flags attribute, whether it takes a value. */
function flagSpec(option: CreateOption): { short?: string; long: string; spec: FlagSpec } {
  const match = /^(?:(-[A-Za-z]), )?(--[a-z][a-z-]*)(?: <[^>]+>)?$/.exec(option.flags);
  if (!match) throw new Error(`cli/options.ts: "${option.flags}" is not of the form "-s, --long <value>"`);
  const [, short, long] = match as unknown as [string, string | undefined, string];
  const negate = long.startsWith("--no-");
  const attribute = camelCase(long.slice(negate ? 5 : 2));
  return { short, long, spec: { attribute, takesValue: option.flags.endsWith(">"), negate, option } };
}

const byName = new Map<string, FlagSpec>();
for (const option of CREATE_OPTIONS) {
  const { short, long, spec } = flagSpec(option);
  byName.set(long, spec);
  if (short) byName.set(short, spec);
}

function defaults(): Record<string, unknown> {
  const flags: Record<string, unknown> = {};
  for (const spec of byName.values()) {
    if (spec.negate) flags[spec.attribute] = true;
    else if (spec.option.default !== undefined) flags[spec.attribute] = spec.option.default;
  }
  return flags;
}

/** `args` is process.argv without node and the script. */
export function parseCommonArgs(args: readonly string[]): { flags: CreateFlags; directory: string | undefined } | undefined {
  const flags = defaults();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("-")) {
      positional.push(arg);
      continue;
    }
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    const spec = byName.get(name);
    if (!spec) return undefined;
    if (!spec.takesValue) {
      if (inline !== undefined) return undefined;
      flags[spec.attribute] = !spec.negate;
      continue;
    }
    const value = inline ?? args[++i];
    // a value that looks like a flag is commander's to report (a usage error naming the flag)
    if (value === undefined || value.startsWith("-")) return undefined;
    const parsed = spec.option.parse ? spec.option.parse(value) : value;
    if (parsed instanceof Error) return undefined;
    flags[spec.attribute] = spec.option.repeatable ? [...((flags[spec.attribute] as unknown[] | undefined) ?? []), parsed] : parsed;
  }
  if (positional.length > 1) return undefined;
  return { flags: flags as unknown as CreateFlags, directory: positional[0] };
}
