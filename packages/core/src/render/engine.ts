/**
 * The render engine: handlebars with HTML escaping off and only typed escaping
 * helpers for values. `render(stack, features)` is pure: same input → same bytes.
 */
import Handlebars from "handlebars";
import { md, mermaid, nix, nixAttr, nixPath, nixPretty, sh, yamlString, type NixValue } from "../escape/index.js";
import type { Stack } from "../manifest/schema.js";
import { sortedTree, type FileTree, type Ownership } from "./file-tree.js";
import { withHeader } from "./header.js";

/** The helpers a template may use to print a value. A bare `{{x}}` is rejected by the template lint test. */
export const VALUE_HELPERS = ["nix", "nixAttr", "nixPath", "sh", "md", "mermaid", "yaml"] as const;

export function createTemplateEngine(): typeof Handlebars {
  const hb = Handlebars.create();
  // {{nix x}} prints one line; {{nix x indent=4}} lays attribute sets out over lines, indented from column 4
  hb.registerHelper("nix", (value: NixValue, options: Handlebars.HelperOptions) =>
    typeof options.hash.indent === "number" ? nixPretty(value, options.hash.indent) : nix(value),
  );
  hb.registerHelper("nixPath", (value: string) => nixPath(value));
  hb.registerHelper("nixAttr", (value: string) => nixAttr(value));
  hb.registerHelper("sh", (value: string | number) => sh(value));
  hb.registerHelper("md", (value: string | number) => md(value));
  hb.registerHelper("mermaid", (value: string | number) => mermaid(value));
  // a double-quoted YAML scalar (a workflow under .github/workflows)
  hb.registerHelper("yaml", (value: string | number) => yamlString(value));
  return hb;
}

export interface FileSpec {
  path: string;
  /** Template id (its path under templates/files, without .hbs) or literal content. */
  template?: string;
  content?: string;
  context?: Record<string, unknown>;
  ownership: Ownership;
  executable?: boolean;
}

/** A feature: a small unit that decides whether it applies and which files it contributes. */
export interface Feature {
  id: string;
  applies(stack: Stack): boolean;
  files(stack: Stack): FileSpec[];
}

/** Template text, or a spec precompiled at build time by Handlebars.precompile (the bundled bin ships these). */
export type TemplateSource = ReadonlyMap<string, string | TemplateSpecification>;

export type TemplateSpecification = Parameters<typeof Handlebars.template>[0];
/** HTML escaping off (values are escaped by the typed helpers); strict: a missing field is an error, not "". */
export const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

export class RenderError extends Error {
  override name = "RenderError";
}

/** Render every applicable feature's files into one sorted FileTree. */
export function render(stack: Stack, features: readonly Feature[], templates: TemplateSource, engine = createTemplateEngine()): FileTree {
  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  const tree: FileTree = new Map();
  for (const feature of features) {
    if (!feature.applies(stack)) continue;
    for (const spec of feature.files(stack)) {
      if (tree.has(spec.path)) throw new RenderError(`features disagree: ${spec.path} is written by "${feature.id}" and by another feature`);
      let content: string;
      if (spec.content !== undefined) content = spec.content;
      else if (spec.template !== undefined) {
        let fn = compiled.get(spec.template);
        if (!fn) {
          const source = templates.get(spec.template);
          if (source === undefined) throw new RenderError(`feature "${feature.id}" names template "${spec.template}", which does not exist`);
          fn = typeof source === "string" ? engine.compile(source, COMPILE_OPTIONS) : engine.template(source);
          compiled.set(spec.template, fn);
        }
        content = fn({ stack, ...spec.context });
      } else throw new RenderError(`feature "${feature.id}" gives neither template nor content for ${spec.path}`);
      tree.set(spec.path, { content: withHeader(spec.path, content, spec.ownership), mode: spec.executable ? 0o755 : 0o644, ownership: spec.ownership });
    }
  }
  return sortedTree(tree);
}
