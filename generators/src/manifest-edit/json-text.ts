/**
 * Edits of the manifest's JSON text that keep everything else as the user wrote it: key order,
 * indentation, line endings, fields this version does not know. jsonc-parser (the JSON editing
 * library VS Code uses) computes minimal text edits; nothing here re-serialises the document.
 */
import { applyEdits, findNodeAtLocation, modify, parseTree, type FormattingOptions, type JSONPath } from "jsonc-parser";

/**
 * How the document is laid out, for the inserted text: the indentation of its first indented
 * line and its line ending. A document on one line (`JSON.stringify` output) gets no formatting,
 * so the insertion stays on that line too.
 */
export function formattingOf(text: string): FormattingOptions | undefined {
  const indent = /^([ \t]+)["{[\]}]/m.exec(text)?.[1];
  if (indent === undefined) return undefined;
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  return indent.startsWith("\t") ? { insertSpaces: false, tabSize: 1, eol } : { insertSpaces: true, tabSize: indent.length, eol };
}

function edit(text: string, path: JSONPath, value: unknown, isArrayInsertion = false): string {
  return applyEdits(text, modify(text, path, value, { isArrayInsertion, formattingOptions: formattingOf(text) }));
}

/** Appends `value` to the array at `path`. */
export function appendToArray(text: string, path: JSONPath, value: unknown): string {
  return edit(text, [...path, -1], value, true);
}

/**
 * Removes the item at `index` of the array at `path`, with the separator before it (after it, for
 * the first item), so neither neighbour moves. jsonc-parser's own removal re-lays-out the items
 * around it (with formatting) or joins the last line with the `]` (without), so the range is
 * taken from its parse tree instead.
 */
export function removeFromArray(text: string, path: JSONPath, index: number): string {
  const array = findNodeAtLocation(parseTree(text)!, path);
  const items = array?.type === "array" ? (array.children ?? []) : [];
  const item = items[index];
  if (!array || !item) throw new RangeError(`no item ${index} in ${path.join(".")}`);
  const end = (n: { offset: number; length: number }) => n.offset + n.length;
  const [from, to] = items.length === 1 ? [array.offset + 1, end(array) - 1] : index > 0 ? [end(items[index - 1]!), end(item)] : [item.offset, items[1]!.offset];
  return applyEdits(text, [{ offset: from, length: to - from, content: "" }]);
}
