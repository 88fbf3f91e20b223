/**
 * Edits of the manifest's JSON text that keep everything else as the user wrote it: key order,
 * indentation, line endings, fields this version does not know. jsonc-parser (the JSON editing
 * library VS Code uses) computes minimal text edits; nothing here re-serialises the document.
 */
import { applyEdits, findNodeAtLocation, format, modify, parseTree, type FormattingOptions, type JSONPath } from "jsonc-parser";

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

/**
 * Appends `value` to the array at `path`. Only the inserted text is laid out: jsonc-parser's own
 * formatted insert re-lays-out the whole line it lands on, which would expand a previous item
 * the user wrote on one line.
 */
export function appendToArray(text: string, path: JSONPath, value: unknown): string {
  const formatting = formattingOf(text);
  const array = findNodeAtLocation(parseTree(text)!, path);
  if (!formatting || !array?.children?.length) {
    // an empty array's line holds nothing of the user's but the brackets
    return applyEdits(text, modify(text, [...path, -1], value, { isArrayInsertion: true, formattingOptions: formatting }));
  }
  const [insert] = modify(text, [...path, -1], value, { isArrayInsertion: true });
  const raw = applyEdits(text, [insert!]);
  return applyEdits(raw, format(raw, { offset: insert!.offset, length: insert!.content.length }, { ...formatting, keepLines: false }));
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
