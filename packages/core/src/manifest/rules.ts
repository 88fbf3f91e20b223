/**
 * Field rules shared by the manifest schema. Each follows the real NixOS / OpenSSH
 * rule it names, usually a little stricter so the value is also safe as a
 * systemd unit name, a container name and a DNS label. The rules with more to
 * check live in their own files and are re-exported here. Each is built by its first caller
 * (built-once.ts): `hostName()` is the host-name schema, and loading these modules builds none.
 */
import * as z from "zod/mini";
import { builtOnce } from "./built-once.js";

export { deployAddress, addressProblem } from "./address.js";
export { diskDevice, diskDeviceProblem } from "./disk-device.js";
export { locale, localeProblem } from "./locale.js";
export { nixpkgsBranch, stateVersion } from "./releases.js";
export { looksLikeKeyLine, publicKeysInFile, sshKeyProblem, sshPublicKey } from "./ssh-key.js";
export { timeZone, timeZoneProblem } from "./time-zone.js";

/**
 * A service kind's tag (`kind`): a literal whose `.value` is the kind, as on classic zod's
 * literals (zod/mini keeps it in `_zod.def.values` only); the kinds are listed from it.
 */
export function kindTag<const K extends string>(kind: K): z.ZodMiniLiteral<K> & { readonly value: K } {
  return Object.assign(z.literal(kind), { value: kind });
}

/**
 * A service kind's schema, built the first time a manifest has a service of that kind (or the
 * schema is used directly): a scaffold's manifest names one or two of the seven kinds, and
 * building the others cost every start a few ms (README, Speed). The discriminated union picks
 * an option by its `propValues`, which zod resolves through a lazy's inner schema, so they are
 * given here, and the union builds only the kinds it meets.
 */
export function lazyKind<const K extends string, T extends z.core.SomeType>(kind: K, build: () => T): () => z.ZodMiniLazy<T> {
  return builtOnce(() => {
    const schema = z.lazy(build);
    Object.defineProperty(schema._zod, "propValues", { value: { kind: new Set([kind]) }, configurable: true, writable: true });
    return schema;
  });
}

/**
 * An optional object field's schema, built the first time a manifest has the field. z.optional
 * reads its inner schema's `optin` on every parse, even of an absent field, and a plain z.lazy
 * answers by building its schema; an object's `optin` and `optout` are undefined, given here, so
 * a manifest without the field never builds it (zod/v4/core/schemas.js: $ZodOptional, $ZodLazy).
 */
export function lazyField<T extends z.core.SomeType>(build: () => T): () => z.ZodMiniLazy<T> {
  return builtOnce(() => {
    const schema = z.lazy(build);
    for (const key of ["optin", "optout"]) Object.defineProperty(schema._zod, key, { value: undefined, configurable: true, writable: true });
    return schema;
  });
}

/** The schema behind a lazy (a lazyKind's, a lazyField's): built now if it was not yet. */
export const builtSchema = <T extends z.core.SomeType>(schema: z.ZodMiniLazy<T>): T => schema._zod.innerType as T;

/** No control characters anywhere in a user string: they cannot be made safe in every target (Nix, shell, Markdown, JSON). */
export const NO_CONTROL_CHARS = /^[^\u0000-\u001f\u007f]*$/;

export const safeText = (what: string) =>
  z.string().check(z.regex(NO_CONTROL_CHARS, `${what} must not contain control characters (newlines, tabs, NUL)`));

/**
 * networking.hostName is `strMatching "^$|^[[:alnum:]]([[:alnum:]_-]{0,61}[[:alnum:]])?$"`
 * (nixos/modules/tasks/network-interfaces.nix). We also forbid upper case and `_`
 * (nixos-containers rejects `_`; DNS labels are case-insensitive).
 */
export const HOST_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
export const hostName = builtOnce(() => z.string().check(z.regex(HOST_NAME, "use lowercase letters, digits and '-', 1–63 characters, starting and ending with a letter or digit (NixOS hostName rule)")));

/**
 * users.users.<name>.name: under 32 characters matching `[a-zA-Z0-9_.][a-zA-Z0-9_.-]*`
 * (nixos/modules/config/users-groups.nix); we use the portable useradd subset.
 */
export const USER_NAME = /^[a-z_][a-z0-9_-]{0,30}$/;
const RESERVED_USERS = new Set(["root", "nobody", "sshd", "messagebus", "polkituser", "systemd-network", "systemd-resolve", "systemd-timesync", "nscd"]);
export const userName = builtOnce(() => z
  .string()
  .check(
    z.regex(USER_NAME, "use lowercase letters, digits, '_' and '-', starting with a letter or '_', at most 31 characters (Linux user name rule)"),
    z.refine((name) => !RESERVED_USERS.has(name) && !name.startsWith("nixbld"), "is a system account name; pick another user name"),
  ));

/** systemd unit / service names we derive from a service's name. */
export const SERVICE_NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;
export const serviceName = builtOnce(() => z.string().check(z.regex(SERVICE_NAME, "use lowercase letters, digits and '-', 2–32 characters, starting with a letter (systemd unit name)")));

// abort: a kind may narrow the range further (z.gte(1024)) without a second message for one bad value
export const port = builtOnce(() => z
  .number({ error: "must be a whole number" })
  .check(
    z.int({ error: "must be a whole number", abort: true }),
    z.gte(1, { error: "is not a port (1–65535)", abort: true }),
    z.lte(65535, { error: "is not a port (1–65535)", abort: true }),
  ));

/** The project's name: it names the flake and the repo. */
export const PROJECT_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const projectName = builtOnce(() => z.string().check(z.regex(PROJECT_NAME, "use lowercase letters, digits and '-', at most 63 characters, starting with a letter or digit (it names the flake and the repo)")));
