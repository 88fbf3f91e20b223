/**
 * The audit table of the nixpkgs option surface (test-fixtures/stub-inputs/nixpkgs/option-surface/README.md):
 * one row per option or option prefix, with the upstream file that declares it, where it was
 * read, and the audit's result.
 */
export interface AuditRow {
  option: string;
  files: string[];
  readAt: string;
  result: string;
}

const cells = (line: string) =>
  line
    .trim()
    .replace(/^\||\|$/g, "")
    .split("|")
    .map((cell) => cell.trim());

/** The rows of the first table whose header starts with `option | upstream file`. */
export function parseAuditTable(markdown: string): AuditRow[] {
  const lines = markdown.split("\n");
  const header = lines.findIndex((line) => /^\|\s*option\s*\|\s*upstream file\s*\|/.test(line));
  if (header < 0) return [];
  const rows: AuditRow[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith("|")) break;
    const [option = "", files = "", readAt = "", result = ""] = cells(line);
    rows.push({
      option: option.replace(/^`|`$/g, ""),
      files: [...files.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).concat(/`/.test(files) ? [] : [files].filter(Boolean)),
      readAt,
      result,
    });
  }
  return rows;
}

const NIXPKGS_PATH = /^(nixos|pkgs|lib)\/\S+\.nix$/;
const READ_AT = /([\w.-]+\/[\w.-]+@[0-9a-f]{7,40}|\b(master|nixos-unstable|nixos-\d\d\.\d\d|release-\d\d\.\d\d)\b)/;

/** What is missing from a row, each naming the option. */
export function rowProblems(row: AuditRow): string[] {
  const problems: string[] = [];
  if (row.files.length === 0 || !row.files.every((f) => NIXPKGS_PATH.test(f))) {
    const bad = row.files.find((f) => !NIXPKGS_PATH.test(f)) ?? "";
    problems.push(`${row.option}: the upstream file must be a nixpkgs path in backticks (\`nixos/…\`, \`pkgs/…\` or \`lib/…\`), not \`${bad}\``);
  }
  if (!READ_AT.test(row.readAt)) problems.push(`${row.option}: read at must name owner/repo@<commit> or a branch, not \`${row.readAt}\``);
  if (!row.result) problems.push(`${row.option}: no audit result`);
  return problems;
}

/** The row of an option path: the row whose option is its longest prefix at a `.` boundary. */
export function auditRowOf(path: string, rows: readonly AuditRow[]): AuditRow | undefined {
  let best: AuditRow | undefined;
  for (const row of rows) {
    if ((path === row.option || path.startsWith(`${row.option}.`)) && (!best || row.option.length > best.option.length)) best = row;
  }
  return best;
}
