/**
 * Where a field of a JSON document is, by the `hosts[0].name` style path that
 * core's FieldError uses, so a manifest error points at its line.
 */

type Segment = string | number;

/** `hosts[0].services[1]["kind"]` → ["hosts", 0, "services", 1, "kind"]; undefined for `(manifest)`. */
export function parseFieldPath(path: string): Segment[] | undefined {
  const segments: Segment[] = [];
  const re = /(?:^|\.)([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  let i = 0;
  while (i < path.length) {
    re.lastIndex = i;
    const m = re.exec(path);
    if (!m) return undefined;
    if (m[1] !== undefined) segments.push(m[1]);
    else if (m[2] !== undefined) segments.push(Number(m[2]));
    else segments.push(JSON.parse(m[3]!) as string);
    i = re.lastIndex;
  }
  return segments.length ? segments : undefined;
}

/** Offset of every value in a JSON text, keyed by its path (JSON of the segments). Tolerates nothing: call it on text that parsed. */
function valueOffsets(text: string): Map<string, number> {
  const offsets = new Map<string, number>();
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const str = (): string => {
    const start = i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: Segment[]): void => {
    ws();
    offsets.set(JSON.stringify(path), i);
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      while (i < text.length && text[i] !== "}") {
        ws();
        const key = str();
        ws();
        i++; // :
        value([...path, key]);
        ws();
        if (text[i] === ",") i++;
        ws();
      }
      i++;
    } else if (c === "[") {
      i++;
      ws();
      let n = 0;
      while (i < text.length && text[i] !== "]") {
        value([...path, n++]);
        ws();
        if (text[i] === ",") i++;
        ws();
      }
      i++;
    } else if (c === '"') str();
    else while (i < text.length && /[^,}\]\s]/.test(text[i]!)) i++;
  };
  value([]);
  return offsets;
}

/**
 * The 1-based line of the field at `path`, or of its nearest existing parent
 * (a missing field points at the object that lacks it). Undefined when the text is not JSON.
 */
export function locateJsonField(text: string, path: string): number | undefined {
  try {
    JSON.parse(text);
  } catch {
    return undefined;
  }
  const offsets = valueOffsets(text);
  const segments = parseFieldPath(path) ?? [];
  for (let n = segments.length; n >= 0; n--) {
    const offset = offsets.get(JSON.stringify(segments.slice(0, n)));
    if (offset !== undefined) return text.slice(0, offset).split("\n").length;
  }
  return undefined;
}

/** The line and column of a JSON.parse error, from Node's message (`at position 45` or `(line 3 column 5)`). */
export function jsonErrorPosition(text: string, message: string): { line: number; column: number } | undefined {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /position (\d+)/.exec(message);
  if (!pos) return undefined;
  const before = text.slice(0, Number(pos[1]));
  const lines = before.split("\n");
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}
