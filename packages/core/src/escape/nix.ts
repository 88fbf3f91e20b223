/**
 * Nix literal escaping. Every user value reaches a generated `.nix` file through
 * these functions (via the `nix` / `nixAttr` template helpers).
 *
 * Nix double-quoted strings treat `\`, `"` and `${` specially (lexer.l, STRING
 * state); `\n`, `\r`, `\t` are the only named escapes. NUL cannot be represented,
 * so the schema rejects control characters before a value ever gets here.
 */

const NIX_KEYWORDS = new Set(["if", "then", "else", "assert", "with", "let", "in", "rec", "inherit", "or"]);
const BARE_ATTR = /^[A-Za-z_][A-Za-z0-9_'-]*$/;

export class NixEscapeError extends Error {
  override name = "NixEscapeError";
}

/** A Nix double-quoted string literal whose value is exactly `value`. */
export function nixString(value: string): string {
  if (value.includes("\0")) throw new NixEscapeError("a Nix string cannot contain a NUL character");
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === "\\") out += "\\\\";
    else if (ch === '"') out += '\\"';
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "$" && value[i + 1] === "{") out += "\\$";
    else out += ch;
  }
  return out + '"';
}

/** An attribute name: bare when Nix allows it, otherwise a quoted string. */
export function nixAttr(name: string): string {
  return BARE_ATTR.test(name) && !NIX_KEYWORDS.has(name) ? name : nixString(name);
}

/**
 * A number that must reach Nix as a float: JSON has one number type, so 1 would otherwise be
 * written `1`, an int that `lib.types.float` refuses. Written with a fraction (`1.0`).
 */
export class NixFloat {
  constructor(readonly value: number) {
    if (!Number.isFinite(value)) throw new NixEscapeError(`${value} has no Nix literal`);
  }
}

export type NixValue = string | number | boolean | null | NixFloat | readonly NixValue[] | { readonly [key: string]: NixValue | undefined };

/** The Nix float literal of a float (lexer.l FLOAT: digits, a fraction, an optional exponent). */
function nixFloatLiteral(value: number): string {
  // Nix needs a fraction before an exponent too (1e-7 is not a number in Nix 2.8: 1.0e-7 is)
  const [mantissa, exponent] = String(Math.abs(value)).split("e");
  const text = `${value < 0 ? "-" : ""}${mantissa!.includes(".") ? mantissa : `${mantissa}.0`}${exponent === undefined ? "" : `e${exponent}`}`;
  return value < 0 ? `(${text})` : text;
}

/** Any JSON-like value as a single-line Nix expression. Attribute order is sorted for determinism. */
export function nix(value: NixValue | undefined): string {
  if (value === undefined || value === null) return "null";
  if (typeof value === "string") return nixString(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value instanceof NixFloat) return nixFloatLiteral(value.value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new NixEscapeError(`${value} has no Nix literal`);
    const text = Number.isInteger(value) ? String(value) : value.toString();
    if (/e/i.test(text)) throw new NixEscapeError(`${value} is out of the range Nix literals cover`);
    return value < 0 ? `(${text})` : text;
  }
  if (Array.isArray(value)) {
    return value.length === 0 ? "[ ]" : `[ ${value.map((v) => nix(v)).join(" ")} ]`;
  }
  const entries = Object.entries(value as Record<string, NixValue | undefined>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? "{ }" : `{ ${entries.map(([k, v]) => `${nixAttr(k)} = ${nix(v)};`).join(" ")} }`;
}

/** A relative Nix path literal such as `../../modules/system.nix`; anything else is refused. */
export function nixPath(path: string): string {
  if (!/^\.\.?(\/[A-Za-z0-9_.+-]+)+$/.test(path) || path.split("/").slice(1).some((s) => s === "." )) {
    throw new NixEscapeError(`${JSON.stringify(path)} is not a relative path Nix can read as a path literal`);
  }
  return path;
}

/**
 * Like `nix`, but attribute sets (and lists that would not fit on one line) span
 * several lines, indented from `indent` spaces, as nixfmt would lay them out.
 */
export function nixPretty(value: NixValue | undefined, indent = 0): string {
  const pad = " ".repeat(indent);
  if (Array.isArray(value)) {
    const flat = nix(value);
    if (flat.length + indent <= 80 && value.every((v) => v === null || typeof v !== "object")) return flat;
    return `[\n${value.map((v) => `${pad}  ${nixPretty(v, indent + 2)}`).join("\n")}\n${pad}]`;
  }
  if (value !== null && typeof value === "object" && !(value instanceof NixFloat)) {
    const entries = Object.entries(value as Record<string, NixValue | undefined>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (entries.length === 0) return "{ }";
    return `{\n${entries.map(([k, v]) => `${pad}  ${nixAttr(k)} = ${nixPretty(v, indent + 2)};`).join("\n")}\n${pad}}`;
  }
  return nix(value);
}
