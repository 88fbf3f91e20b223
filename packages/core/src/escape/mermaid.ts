/**
 * Text inside a quoted Mermaid label (`id["…"]`, `-- "…" -->`) of a diagram in a README.
 * Mermaid reads `#name;` and `#code;` as entity codes (mermaid docs, "Entity codes to escape
 * characters"), so every character with a meaning there — the closing quote, the entity
 * marker itself, HTML's angle brackets and ampersand, and the backtick of markdown strings —
 * is written as one. Line breaks become spaces (a label is one line of the diagram's source).
 */
const ENTITIES: Record<string, string> = { "#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;" };

export function mermaid(value: string | number): string {
  return String(value)
    .replace(/[#"<>&`]/g, (ch) => ENTITIES[ch]!)
    .replace(/\r?\n/g, " ");
}
