/**
 * Kernel and system tuning of a host (hosts[].tuning): the common knobs by name, with the ranges
 * the kernel accepts, and any other sysctl by its key. Values stay typed: an integer reaches
 * boot.kernel.sysctl as a Nix integer, a string as a string (nixos/modules/config/sysctl.nix).
 */
import * as z from "zod/mini";
import { lazyField, NO_CONTROL_CHARS } from "./rules.js";

const int = (min: number, max: number, hint: string) =>
  z.number({ error: "must be a whole number" }).check(z.int({ error: "must be a whole number", abort: true }), z.gte(min, `use ${min}–${max} (${hint})`), z.lte(max, `use ${min}–${max} (${hint})`));

/** A sysctl key as sysctl(8) names it: dot-separated segments (interface names may hold '-' or '@'). */
export const SYSCTL_KEY = /^[a-z][a-z0-9_]*(\.[A-Za-z0-9_@-]+)+$/;

/** The named knobs and the sysctl key each sets. */
export const NAMED_SYSCTLS = {
  somaxconn: "net.core.somaxconn",
  tcpMaxSynBacklog: "net.ipv4.tcp_max_syn_backlog",
  swappiness: "vm.swappiness",
} as const;

/**
 * The sysctls nixos/modules/config/sysctl.nix declares itself, as `nullOr ints.unsigned` whose
 * definitions merge to the highest (every other key takes a bool, string or integer): a string
 * or a negative number there fails evaluation.
 */
export const UNSIGNED_SYSCTLS = ["net.core.rmem_max", "net.core.wmem_max"] as const;

/**
 * hosts[].tuning, built the first time a manifest has one (rules.ts: lazyField): most hosts
 * have none, and building it cost every start about 0.5 ms (README, Speed).
 */
export const tuningSchema = lazyField(() => z
  .strictObject({
    /** The longest accept queue a listening socket may ask for (net.core.somaxconn; the kernel's default is 4096 since 5.4). */
    somaxconn: z.optional(int(128, 2147483647, "connections waiting in a listen queue")),
    /** Half-open connections remembered per listener (net.ipv4.tcp_max_syn_backlog). */
    tcpMaxSynBacklog: z.optional(int(128, 2147483647, "half-open TCP connections")),
    /** How eagerly the kernel swaps (vm.swappiness; 0–200, the kernel's default 60). */
    swappiness: z.optional(int(0, 200, "the kernel's range for vm.swappiness")),
    /** The open-file limit of every service (systemd DefaultLimitNOFILE) and login session (pam_limits nofile). */
    nofile: z.optional(int(1024, 1048576, "open files per process; the kernel's fs.nr_open is 1048576 by default")),
    /** Any other sysctl, by key: an integer, or a string for multi-value keys ("4096 87380 6291456"). */
    sysctl: z._default(
      z.record(
        z.string(),
        z.union([z.number().check(z.int("must be a whole number")), z.string().check(z.regex(NO_CONTROL_CHARS, "must not contain control characters"), z.minLength(1), z.maxLength(256))], { error: "use a whole number or a string" }),
      ),
      {},
    ),
  })
  .check(z.superRefine((tuning, ctx) => {
    // keys checked here rather than by the record's key schema, whose message zod replaces
    for (const key of Object.keys(tuning.sysctl)) {
      if (!SYSCTL_KEY.test(key)) ctx.addIssue({ code: "custom", path: ["sysctl", key], input: key, message: "is not a sysctl key: use its dotted name, such as net.ipv4.tcp_fin_timeout" });
    }
    for (const key of UNSIGNED_SYSCTLS) {
      const value = tuning.sysctl[key];
      if (value !== undefined && !(typeof value === "number" && value >= 0))
        ctx.addIssue({ code: "custom", path: ["sysctl", key], input: value, message: "must be a whole number of bytes, 0 or more (NixOS declares it an unsigned integer and keeps the highest of all definitions)" });
    }
    for (const [field, key] of Object.entries(NAMED_SYSCTLS)) {
      if (key in tuning.sysctl) ctx.addIssue({ code: "custom", path: ["sysctl", key], input: tuning.sysctl[key], message: `is the named field ${field}: set ${field} instead, once` });
    }
  })));
export type Tuning = z.output<ReturnType<typeof tuningSchema>>;

/** The sysctl values a host's tuning sets, keyed by sysctl name, named fields first. */
export function tuningSysctls(tuning: Tuning): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const [field, key] of Object.entries(NAMED_SYSCTLS)) {
    const value = tuning[field as keyof typeof NAMED_SYSCTLS];
    if (value !== undefined) out[key] = value;
  }
  return { ...out, ...tuning.sysctl };
}
