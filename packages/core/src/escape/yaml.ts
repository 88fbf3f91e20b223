/**
 * One value as a YAML double-quoted scalar (YAML 1.2, §7.3.1), for the GitHub Actions workflows
 * a repo carries. Inside double quotes only `\` and `"` are special, and escapes carry every
 * other character a plain line cannot: the C0 controls, DEL, NEL and the line and paragraph
 * separators (U+2028, U+2029), which a YAML parser would otherwise read as line breaks and fold.
 * GitHub's `${{ … }}` expressions are evaluated in any string of a workflow, quoted or not, so a
 * value that holds `${{` is refused: it cannot be made inert inside YAML.
 */
export class YamlEscapeError extends Error {
  override name = "YamlEscapeError";
}

const NAMED: Record<string, string> = { "\0": "\\0", "\t": "\\t", "\n": "\\n", "\r": "\\r", '"': '\\"', "\\": "\\\\", "\u0085": "\\N", "\u2028": "\\L", "\u2029": "\\P" };

export function yamlString(value: string | number): string {
  const text = String(value);
  if (text.includes("${{")) throw new YamlEscapeError(`cannot put ${JSON.stringify(text)} in a workflow: GitHub evaluates "\${{" in every string`);
  const body = text.replace(/[\0-\x1f"\\\x7f\u0085\u2028\u2029]/g, (ch) => NAMED[ch] ?? `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`);
  return `"${body}"`;
}
