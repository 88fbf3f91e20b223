/** Who owns a generated file. */
export type Ownership =
  /** Fully determined by the manifest; rewritten on sync; a hand edit is reported as a conflict, never overwritten. */
  | "managed"
  /** Written once for the user to own; never overwritten (only --force does). */
  | "scaffold";

export interface TreeFile {
  content: string;
  /** 0o644 or 0o755 */
  mode: number;
  ownership: Ownership;
}

/** The whole generated repository in memory, keyed by POSIX relative path, sorted. */
export type FileTree = Map<string, TreeFile>;

export function sortedTree(tree: FileTree): FileTree {
  return new Map([...tree.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
