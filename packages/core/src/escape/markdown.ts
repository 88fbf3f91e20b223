/** Text for a Markdown table cell or paragraph: characters with Markdown/HTML meaning are backslash-escaped. */
export function md(value: string | number): string {
  return String(value)
    .replace(/[\\`*_{}[\]<>()#+!|~]/g, (ch) => `\\${ch}`)
    .replace(/\r?\n/g, " ");
}
