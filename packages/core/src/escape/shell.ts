/** POSIX shell single-quoting: the only character that needs care inside '…' is ' itself. */
export function sh(value: string | number): string {
  const text = String(value);
  if (text.includes("\0")) throw new Error("a shell word cannot contain a NUL character");
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
