// Bundles the bin into one file, templates included, the way create-vite ships: `npm create`
// then installs almost nothing and starts fast. node-plop (prompts) stays a lazy import.
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import Handlebars from "handlebars";

const templatesDir = fileURLToPath(new URL("../../templates/files", import.meta.url));
const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));

/** Replaces templates/src/template-sources.ts (which reads files/ at run time) with the templates
 * inlined and precompiled (Handlebars.precompile), so the bin never parses a template at run time. */
const inlineTemplates = {
  name: "inline-templates",
  setup(b) {
    b.onLoad({ filter: /templates[\\/]src[\\/]template-sources\.ts$/ }, () => {
      const entries = walk(templatesDir)
        .sort()
        .map((f) => `[${JSON.stringify(relative(templatesDir, f).split(sep).join("/").replace(/\.hbs$/, ""))}, ${Handlebars.precompile(readFileSync(f, "utf8"), { noEscape: true, strict: true })}]`);
      return {
        loader: "js",
        contents: `export const TEMPLATES_DIR = "(bundled)";
export const templateSources = new Map([${entries.join(",\n")}]);
export function loadTemplateSources() { return templateSources; }`,
      };
    });
  },
};

/** Replaces src/version.ts (which reads package.json at run time, relative to its own file) with the
 * version as a constant: the bundled CLI lives in dist/chunks/ and reads no file to print --version. */
const inlineVersion = {
  name: "inline-version",
  setup(b) {
    b.onLoad({ filter: /create-nixos-stack[\\/]src[\\/]version\.ts$/ }, () => {
      const { version } = JSON.parse(readFileSync(new URL("package.json", import.meta.url), "utf8"));
      return { loader: "js", contents: `export const VERSION = ${JSON.stringify(version)};` };
    });
  },
};

// chunk names carry a content hash: drop the previous build's, or the package ships stale ones
rmSync(fileURLToPath(new URL("dist/chunks", import.meta.url)), { recursive: true, force: true });

await build({
  entryPoints: [fileURLToPath(new URL("src/bin.ts", import.meta.url))],
  outdir: fileURLToPath(new URL("dist", import.meta.url)),
  entryNames: "[name]",
  chunkNames: "chunks/[name]-[hash]",
  splitting: true,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  conditions: ["source"],
  external: ["node-plop"],
  // every template is precompiled above, so the bin needs only the Handlebars runtime, not its compiler
  alias: { handlebars: "handlebars/runtime" },
  plugins: [inlineTemplates, inlineVersion],
  minify: process.env.NO_MINIFY ? false : true,
  legalComments: "linked",
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: "warning",
});
