/**
 * A Nix tokenizer, enough for linting: it finds string literals (with their
 * unescaped value), path literals and identifiers with their offsets, and skips
 * comments, so a lint never mistakes `# ./secrets/x` or `"./x"` for a path.
 * It follows the rules of Nix's own lexer (src/libexpr/lexer.l), including the
 * longest match between identifiers, paths and URIs (`a/b` is a path). It does
 * not validate syntax: that is Nix's job (see phases/static/nix-parse.ts).
 */

export type NixToken =
  | { kind: "ident"; text: string; offset: number }
  | { kind: "string"; value: string; interpolated: boolean; offset: number; end: number }
  | { kind: "path"; text: string; interpolated: boolean; offset: number }
  | { kind: "spath"; text: string; offset: number }
  | { kind: "uri"; text: string; offset: number }
  | { kind: "punct"; text: string; offset: number };

const PATH = /[a-zA-Z0-9._\-+]*(?:\/[a-zA-Z0-9._\-+]+)+\/?/y;
const PATH_SEG = /[a-zA-Z0-9._\-+]*\//y;
const HPATH = /~(?:\/[a-zA-Z0-9._\-+]+)+\/?/y;
const HPATH_START = /~\//y;
const SPATH = /<[a-zA-Z0-9._\-+]+(?:\/[a-zA-Z0-9._\-+]+)*>/y;
const URI = /[a-zA-Z][a-zA-Z0-9+\-.]*:[a-zA-Z0-9%/?:@&=+$,\-_.!~*']+/y;
const IDENT = /[a-zA-Z_][a-zA-Z0-9_'-]*/y;
const PATH_TAIL = /[a-zA-Z0-9._\-+/]*/y;
const TWO_CHAR_OPS = new Set(["==", "!=", "<=", ">=", "//", "->", "++", "&&", "||", "${"]);
const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t" };

function matchAt(re: RegExp, src: string, at: number): string | undefined {
  re.lastIndex = at;
  return re.exec(src)?.[0];
}

export function lexNix(src: string): NixToken[] {
  const tokens: NixToken[] = [];
  lexExpression(src, 0, false, tokens);
  return tokens;
}

/** Lexes from `i` to the end, or (inside `${…}`) to the matching `}`; returns the offset after it. */
function lexExpression(src: string, start: number, inInterpolation: boolean, out: NixToken[]): number {
  let i = start;
  let depth = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
    } else if (c === "#") {
      const eol = src.indexOf("\n", i);
      i = eol === -1 ? src.length : eol + 1;
    } else if (c === "/" && src[i + 1] === "*") {
      const close = src.indexOf("*/", i + 2);
      i = close === -1 ? src.length : close + 2;
    } else if (c === '"') {
      i = lexString(src, i, out);
    } else if (c === "'" && src[i + 1] === "'") {
      i = lexIndentedString(src, i, out);
    } else if (c === "{") {
      depth++;
      out.push({ kind: "punct", text: c, offset: i++ });
    } else if (c === "}") {
      if (inInterpolation && depth === 0) return i + 1;
      depth--;
      out.push({ kind: "punct", text: c, offset: i++ });
    } else {
      const word = lexWord(src, i, out);
      if (word > i) {
        i = word;
        continue;
      }
      const two = src.slice(i, i + 2);
      if (two === "${") {
        // `${` outside a string: a dynamic attribute name; its body is an expression
        i = lexExpression(src, i + 2, true, out);
        continue;
      }
      const text = TWO_CHAR_OPS.has(two) ? two : c;
      out.push({ kind: "punct", text, offset: i });
      i += text.length;
    }
  }
  return i;
}

/** An identifier, number, path, search path or URI at `i` (longest match wins, as in flex); returns its end, or `i`. */
function lexWord(src: string, i: number, out: NixToken[]): number {
  const spath = matchAt(SPATH, src, i);
  if (spath) {
    out.push({ kind: "spath", text: spath, offset: i });
    return i + spath.length;
  }
  const ident = matchAt(IDENT, src, i) ?? "";
  const uri = matchAt(URI, src, i) ?? "";
  let path = matchAt(PATH, src, i) ?? matchAt(HPATH, src, i) ?? "";
  const seg = matchAt(PATH_SEG, src, i) ?? matchAt(HPATH_START, src, i);
  // `./hosts/${name}`: a path segment directly followed by an interpolation starts a path too
  if (seg && src.startsWith("${", i + seg.length) && seg.length >= path.length) path = seg;
  const longest = Math.max(ident.length, uri.length, path.length);
  if (longest === 0) {
    const num = /(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/y;
    const n = matchAt(num, src, i);
    return n ? i + n.length : i;
  }
  if (path.length === longest && path.length > 0) return lexPathRest(src, i, i + path.length, out);
  if (uri.length === longest) {
    out.push({ kind: "uri", text: uri, offset: i });
    return i + uri.length;
  }
  out.push({ kind: "ident", text: ident, offset: i });
  return i + ident.length;
}

function lexPathRest(src: string, start: number, end: number, out: NixToken[]): number {
  const token: NixToken = { kind: "path", text: "", interpolated: false, offset: start };
  out.push(token);
  let i = end;
  while (src.startsWith("${", i)) {
    token.interpolated = true;
    i = lexExpression(src, i + 2, true, out);
    i += matchAt(PATH_TAIL, src, i)?.length ?? 0;
  }
  token.text = src.slice(start, i);
  return i;
}

function lexString(src: string, start: number, out: NixToken[]): number {
  const token: NixToken = { kind: "string", value: "", interpolated: false, offset: start, end: start };
  out.push(token);
  let i = start + 1;
  let value = "";
  while (i < src.length) {
    const c = src[i]!;
    if (c === "\\") {
      const next = src[i + 1] ?? "";
      value += ESCAPES[next] ?? next;
      i += 2;
    } else if (c === "$" && src[i + 1] === "{") {
      token.interpolated = true;
      value += "${…}";
      i = lexExpression(src, i + 2, true, out);
    } else if (c === "$" && src[i + 1] !== '"' && src[i + 1] !== "\\" && i + 1 < src.length) {
      // `$` and the next character are literal together, so `$${x}` is not an interpolation
      value += src.slice(i, i + 2);
      i += 2;
    } else if (c === '"') {
      i++;
      break;
    } else {
      value += c;
      i++;
    }
  }
  token.value = value;
  token.end = i;
  return i;
}

function lexIndentedString(src: string, start: number, out: NixToken[]): number {
  const token: NixToken = { kind: "string", value: "", interpolated: false, offset: start, end: start };
  out.push(token);
  let i = start + 2;
  let value = "";
  while (i < src.length) {
    if (src.startsWith("'''", i)) {
      value += "''";
      i += 3;
    } else if (src.startsWith("''$", i)) {
      value += "$";
      i += 3;
    } else if (src.startsWith("''\\", i)) {
      const next = src[i + 3] ?? "";
      value += ESCAPES[next] ?? next;
      i += 4;
    } else if (src.startsWith("''", i)) {
      i += 2;
      break;
    } else if (src.startsWith("${", i)) {
      token.interpolated = true;
      value += "${…}";
      i = lexExpression(src, i + 2, true, out);
    } else if (src[i] === "$" && src[i + 1] === "$") {
      value += "$$";
      i += 2;
    } else {
      value += src[i];
      i++;
    }
  }
  token.value = value;
  token.end = i;
  return i;
}
