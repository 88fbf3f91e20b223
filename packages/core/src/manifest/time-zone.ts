/**
 * time.timeZone: NixOS links /etc/localtime to tzdata's zoneinfo/<name>
 * (nixos/modules/config/locale.nix), a case-sensitive path, so a misspelt zone is a dangling
 * link and the server silently runs on UTC. We accept the names of the tz database that Node
 * ships (ICU), spelt exactly.
 */
import * as z from "zod/mini";
import { builtOnce } from "./built-once.js";

/**
 * Current IANA names that ICU (CLDR) still lists under their old spelling, e.g.
 * Intl.supportedValuesOf gives "Asia/Calcutta" for Asia/Kolkata. Both spellings are in tzdata.
 * (IANA zone1970.tab names missing from Node 20's list.)
 */
const IANA_NAMES_ICU_SPELLS_DIFFERENTLY = [
  "Africa/Asmara",
  "America/Argentina/Buenos_Aires",
  "America/Argentina/Catamarca",
  "America/Argentina/Cordoba",
  "America/Argentina/Jujuy",
  "America/Argentina/Mendoza",
  "America/Atikokan",
  "America/Indiana/Indianapolis",
  "America/Kentucky/Louisville",
  "America/Nuuk",
  "Asia/Ho_Chi_Minh",
  "Asia/Kathmandu",
  "Asia/Kolkata",
  "Asia/Yangon",
  "Atlantic/Faroe",
  "Europe/Kyiv",
  "Pacific/Chuuk",
  "Pacific/Kanton",
  "Pacific/Pohnpei",
];

/** UTC and the fixed-offset Etc zones, which Intl.supportedValuesOf leaves out. */
const FIXED_OFFSET_ZONES = ["UTC", "Etc/UTC", "Etc/GMT", ...Array.from({ length: 14 }, (_, i) => `Etc/GMT-${i + 1}`), ...Array.from({ length: 12 }, (_, i) => `Etc/GMT+${i + 1}`)];

/**
 * The names listed above are accepted without asking ICU: its zone list costs a few ms to build,
 * and every scaffold with the default "UTC" would pay them (README, Speed).
 */
const LISTED = new Set([...IANA_NAMES_ICU_SPELLS_DIFFERENTLY, ...FIXED_OFFSET_ZONES]);

let known: Map<string, string> | undefined;
/** Every accepted name, keyed by its lower-case form (to suggest the right spelling). */
function knownZones(): Map<string, string> {
  known ??= new Map([...Intl.supportedValuesOf("timeZone"), ...IANA_NAMES_ICU_SPELLS_DIFFERENTLY, ...FIXED_OFFSET_ZONES].map((name) => [name.toLowerCase(), name]));
  return known;
}

/** ICU's canonical name for a zone it knows under any spelling or alias ("us/eastern" → "America/New_York"). */
function canonicalZone(name: string): string | undefined {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

export function timeZoneProblem(name: string): string | undefined {
  if (LISTED.has(name)) return undefined;
  const zones = knownZones();
  const exact = zones.get(name.toLowerCase());
  if (exact === name) return undefined;
  if (exact) return `is spelt differently in the tz database: did you mean "${exact}"?`;
  const canonical = canonicalZone(name);
  if (canonical) return `is an old alias in the tz database: use "${canonical}"`;
  return 'is not in the tz database: use a name like "UTC" or "Europe/Berlin" (see `timedatectl list-timezones`)';
}

export const timeZone = builtOnce(() => z
  .string()
  .check(z.regex(/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/, { error: 'use a tz database name like "UTC" or "Europe/Berlin"', abort: true }))
  .check(
    z.superRefine((name, ctx) => {
      const problem = timeZoneProblem(name);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  ));
