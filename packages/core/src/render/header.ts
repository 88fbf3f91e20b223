import type { Ownership } from "./file-tree.js";

export const MANAGED_NOTE = "Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.";

/** The comment syntax of a file, from its name; undefined when it has none (JSON). */
function commentFor(path: string): ((line: string) => string) | undefined {
  if (/\.(nix|sh|ya?ml|toml)$|(^|\/)\.gitignore$|(^|\/)[^./]+$/.test(path)) return (l) => `# ${l}`;
  if (/\.md$/.test(path)) return (l) => `<!-- ${l} -->`;
  if (/\.(js|ts|mjs)$/.test(path)) return (l) => `// ${l}`;
  return undefined;
}

/** Puts the managed-file note on the first line (after a shebang). Scaffold files get none. */
export function withHeader(path: string, content: string, ownership: Ownership): string {
  if (ownership !== "managed") return content;
  const comment = commentFor(path);
  if (!comment) return content;
  const line = comment(MANAGED_NOTE);
  if (content.startsWith("#!")) {
    const eol = content.indexOf("\n");
    return `${content.slice(0, eol + 1)}${line}\n${content.slice(eol + 1)}`;
  }
  return `${line}\n${content}`;
}
