/** The path literals of a Nix file, resolved against the repo: what the file makes the flake read (and copy into the store). */
import { posix } from "node:path";
import type { LineIndex } from "./line-index.js";
import type { NixToken } from "./nix-lexer.js";

export interface PathRef {
  /** the .nix file holding the literal */
  file: string;
  line: number;
  column: number;
  /** as written, e.g. `../../secrets/token` or `./hosts/${name}` */
  literal: string;
  kind: "relative" | "absolute" | "home";
  /** repo-relative target ("" for the repo root); undefined when absolute, home-relative or outside the repo */
  target?: string;
  /** `./hosts/${name}`: only the directory before the interpolation is known */
  dirPrefix: boolean;
}

export function nixPathRefs(file: string, tokens: readonly NixToken[], lines: LineIndex): PathRef[] {
  const refs: PathRef[] = [];
  for (const t of tokens) {
    if (t.kind !== "path") continue;
    const { line, column } = lines.position(t.offset);
    const known = t.interpolated ? t.text.slice(0, t.text.indexOf("${")) : t.text;
    const base = { file, line, column, literal: t.text, dirPrefix: t.interpolated };
    if (known.startsWith("~")) refs.push({ ...base, kind: "home" });
    else if (known.startsWith("/")) refs.push({ ...base, kind: "absolute" });
    else {
      const resolved = posix.normalize(posix.join(posix.dirname(file), known)).replace(/\/$/, "");
      const outside = resolved === ".." || resolved.startsWith("../");
      refs.push({ ...base, kind: "relative", target: outside ? undefined : resolved === "." ? "" : resolved });
    }
  }
  return refs;
}
