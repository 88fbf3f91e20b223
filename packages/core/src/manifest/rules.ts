/**
 * Field rules shared by the manifest schema. Each follows the real NixOS / OpenSSH
 * rule it names, usually a little stricter so the value is also safe as a
 * systemd unit name, a container name and a DNS label.
 */
import * as z from "zod";

/** No control characters anywhere in a user string: they cannot be made safe in every target (Nix, shell, Markdown, JSON). */
export const NO_CONTROL_CHARS = /^[^\u0000-\u001f\u007f]*$/;

export const safeText = (what: string) =>
  z.string().regex(NO_CONTROL_CHARS, `${what} must not contain control characters (newlines, tabs, NUL)`);

/**
 * networking.hostName is `strMatching "^$|^[[:alnum:]]([[:alnum:]_-]{0,61}[[:alnum:]])?$"`
 * (nixos/modules/tasks/network-interfaces.nix). We also forbid upper case and `_`
 * (nixos-containers rejects `_`; DNS labels are case-insensitive).
 */
export const HOST_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
export const hostName = z.string().regex(HOST_NAME, "use lowercase letters, digits and '-', 1–63 characters, starting and ending with a letter or digit (NixOS hostName rule)");

/**
 * users.users.<name>.name: under 32 characters matching `[a-zA-Z0-9_.][a-zA-Z0-9_.-]*`
 * (nixos/modules/config/users-groups.nix); we use the portable useradd subset.
 */
export const USER_NAME = /^[a-z_][a-z0-9_-]{0,30}$/;
const RESERVED_USERS = new Set(["root", "nobody", "sshd", "messagebus", "polkituser", "systemd-network", "systemd-resolve", "systemd-timesync", "nscd"]);
export const userName = z
  .string()
  .regex(USER_NAME, "use lowercase letters, digits, '_' and '-', starting with a letter or '_', at most 31 characters (Linux user name rule)")
  .refine((name) => !RESERVED_USERS.has(name) && !name.startsWith("nixbld"), "is a system account name; pick another user name");

/** systemd unit / service names we derive from a service's name. */
export const SERVICE_NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;
export const serviceName = z.string().regex(SERVICE_NAME, "use lowercase letters, digits and '-', 2–32 characters, starting with a letter (systemd unit name)");

export const port = z
  .number({ error: "must be a whole number" })
  .int("must be a whole number")
  .min(1, "is not a port (1–65535)")
  .max(65535, "is not a port (1–65535)");

/** system.stateVersion is asserted to match `[0-9]{2}\.[0-9]{2}` (nixos/modules/misc/version.nix). */
export const stateVersion = z.string().regex(/^[0-9]{2}\.[0-9]{2}$/, 'use the release of the first install, like "26.05" (system.stateVersion rule)');

/** Key types OpenSSH accepts in authorized_keys. */
const SSH_KEY_TYPES = [
  "ssh-ed25519",
  "ssh-rsa",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
] as const;

/** Checks the key line and that the base64 blob really encodes a key of the declared type. */
export function sshKeyProblem(line: string): string | undefined {
  const match = /^(\S+) ([A-Za-z0-9+/]+={0,2})(?: ([^\u0000-\u001f\u007f]*))?$/.exec(line);
  if (!match) return 'use one line "<type> <base64> [comment]", e.g. the contents of ~/.ssh/id_ed25519.pub';
  const [, type, blob] = match;
  if (!(SSH_KEY_TYPES as readonly string[]).includes(type!)) return `key type "${type}" is not one OpenSSH accepts (${SSH_KEY_TYPES.join(", ")})`;
  const bytes = Buffer.from(blob!, "base64");
  if (bytes.length < 4) return "the base64 part is too short to be a key";
  const nameLength = bytes.readUInt32BE(0);
  const embedded = bytes.subarray(4, 4 + nameLength).toString("latin1");
  if (embedded !== type) return `the base64 part does not encode a ${type} key (is it truncated or pasted from another key?)`;
  // the rest is a sequence of length-prefixed fields that must end exactly at the end of the blob
  let offset = 4 + nameLength;
  let fields = 0;
  while (offset + 4 <= bytes.length) {
    offset += 4 + bytes.readUInt32BE(offset);
    fields++;
  }
  if (fields === 0 || offset !== bytes.length) return "the key is truncated: copy the whole line of the .pub file";
  return undefined;
}
export const sshPublicKey = z.string().superRefine((line, ctx) => {
  const problem = sshKeyProblem(line);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** tz database names: Region/City, UTC, Etc/GMT+1 (time.timeZone is a `nullOr str` without spaces). */
export const timeZone = z.string().regex(/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/, 'use a tz database name like "UTC" or "Europe/Berlin"');

/** i18n.defaultLocale: glibc locale names in UTF-8 (i18n.supportedLocales lists "<locale>/UTF-8"). */
export const locale = z.string().regex(/^([a-z]{2,3}_[A-Z]{2}(@[a-z]+)?|C)\.UTF-8$/, 'use a UTF-8 locale like "en_US.UTF-8" or "C.UTF-8"');

/** An absolute block device path for disko's `disk.<name>.device`. */
export const diskDevice = z.string().regex(/^\/dev\/[A-Za-z0-9_.:+/-]+$/, 'use an absolute device path such as "/dev/sda" or "/dev/disk/by-id/…" (check with lsblk)');

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-fA-F:]+(%[A-Za-z0-9]+)?$/;
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
export const deployAddress = z
  .string()
  .refine((a) => IPV4.test(a) || (a.includes(":") && IPV6.test(a)) || DNS_NAME.test(a), "use an IPv4/IPv6 address or a lowercase DNS name");

export const projectName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "use lowercase letters, digits and '-', at most 63 characters, starting with a letter or digit (it names the flake and the repo)");

/** nixpkgs branches a generated flake may follow; the current stable release is the default. */
export const STABLE_RELEASE = "26.05";
export const nixpkgsBranch = z.string().regex(/^nixos-([0-9]{2}\.(05|11)|unstable)$/, 'use "nixos-YY.05", "nixos-YY.11" or "nixos-unstable"');
