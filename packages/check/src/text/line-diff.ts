/** A small line diff (LCS), enough to tell a user which lines of a managed file differ from the render. */

export interface DiffHunk {
  /** 1-based first line in the actual (on-disk) text; for a pure deletion, the line the missing text would precede */
  actualStart: number;
  actualLines: string[];
  /** 1-based first line in the expected (rendered) text */
  expectedStart: number;
  expectedLines: string[];
}

/** Above this many cells the middle is reported as one hunk instead of being aligned line by line. */
const MAX_CELLS = 4_000_000;

export function diffLines(expectedText: string, actualText: string): DiffHunk[] {
  const expected = expectedText.split("\n");
  const actual = actualText.split("\n");
  let prefix = 0;
  while (prefix < expected.length && prefix < actual.length && expected[prefix] === actual[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < expected.length - prefix &&
    suffix < actual.length - prefix &&
    expected[expected.length - 1 - suffix] === actual[actual.length - 1 - suffix]
  )
    suffix++;
  const a = expected.slice(prefix, expected.length - suffix);
  const b = actual.slice(prefix, actual.length - suffix);
  if (a.length === 0 && b.length === 0) return [];
  if (a.length * b.length > MAX_CELLS || a.length === 0 || b.length === 0) {
    return [{ expectedStart: prefix + 1, expectedLines: a, actualStart: prefix + 1, actualLines: b }];
  }
  // lcs[i][j] = length of the LCS of a[i..] and b[j..]
  const width = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * width + j] = a[i] === b[j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  const hunks: DiffHunk[] = [];
  let current: DiffHunk | undefined;
  let i = 0;
  let j = 0;
  const open = () => (current ??= { expectedStart: prefix + i + 1, expectedLines: [], actualStart: prefix + j + 1, actualLines: [] });
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      if (current) hunks.push(current);
      current = undefined;
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lcs[i * width + j + 1]! >= lcs[(i + 1) * width + j]!)) {
      open().actualLines.push(b[j++]!);
    } else {
      open().expectedLines.push(a[i++]!);
    }
  }
  if (current) hunks.push(current);
  return hunks;
}

/** `line 12`, `lines 12–14`, or `before line 12` for lines missing on disk. */
export function describeHunk(h: DiffHunk): string {
  if (h.actualLines.length === 0) return `before line ${h.actualStart}`;
  if (h.actualLines.length === 1) return `line ${h.actualStart}`;
  return `lines ${h.actualStart}–${h.actualStart + h.actualLines.length - 1}`;
}
