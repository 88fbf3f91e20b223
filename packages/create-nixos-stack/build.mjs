// Bundles the bin into dist/bundle/, templates included, the way create-vite ships: `npm create`
// then installs almost nothing and starts fast.
//
//   bin.cjs       the entry: turns on V8's code cache (Node's own on ≥ 22.1, code-cache.ts before), then requires cli.cjs
//   cli.cjs       everything a run needs (CommonJS: no ESM loader start-up on Node 20); the subcommands
//                 (add-target, add-service, …, and jsonc-parser) too, their modules evaluated only when a
//                 subcommand runs (esbuild's lazy init of an import()ed module), so they share its schema,
//                 templates and code cache instead of carrying a copy of their own
//   program.mjs   commander, imported only for --help, --version and command-line errors
//   git-init.mjs  execa, imported only when git runs
//   templates/    the templates precompiled: one module per pack of templates a stack renders together
//                 (templates/packs/template-packs.json → templates/packs/<pack>.cjs; the default scaffold's packs inside cli.cjs), the rest one module each
//                 (templates/files/<id>.hbs → templates/<id>.cjs), required the first time a render asks
//                 for one of them: a stack compiles only its own templates
// node-plop (prompts) stays an import of the installed package, made only on a terminal.
//
// ANALYZE=1 prints what each file is made of, largest first; NO_MINIFY=1 keeps them readable.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { analyzeMetafile, build, transformSync } from "esbuild";
import Handlebars from "handlebars";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const outdir = here("dist/bundle");
const templatesDir = here("../../templates/files");
const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));

/** Every template precompiled (Handlebars.precompile), so the bin never parses a template at run
 * time, into modules under dist/bundle/templates/ required the first time a render asks for one of
 * their templates: the templates a stack renders together are one module, a pack
 * (templates/packs/template-packs.json: every stack's files, a VPS host's, the fleet's, each kind's),
 * and a template in no pack is a module of its own. A VPS scaffold never compiles the fleet
 * scripts, the containers module or the web-app module. */
const templateIds = walk(templatesDir)
  .sort()
  .map((f) => relative(templatesDir, f).split(sep).join("/").replace(/\.hbs$/, ""));
const packs = Object.entries(JSON.parse(readFileSync(here("../../templates/packs/template-packs.json"), "utf8"))).filter(([name]) => !name.startsWith("$"));
/** id → [module file, the template's key in it (a pack's), or null (a module of its own)] */
const templateModules = new Map(templateIds.map((id) => [id, [`./templates/${id}.cjs`, null]]));
for (const [pack, ids] of packs) {
  for (const id of ids) {
    if (!templateModules.has(id)) throw new Error(`build.mjs: pack "${pack}" names template "${id}", which is not in templates/files`);
    if (templateModules.get(id)[1] !== null) throw new Error(`build.mjs: template "${id}" is in two packs`);
    templateModules.set(id, [`./templates/packs/${pack}.cjs`, id]);
  }
}

/**
 * The packs the default scaffold renders (`--yes`: the default preset's manifest from the default
 * answers, as default-stacks.ts validates it; every-stack among them, which every stack renders):
 * their templates are part of cli.cjs itself, so a `--yes` run requires no template module (two
 * packs' requires cost it 1.5 ms; README, Speed). Found by asking the features which templates
 * that manifest renders, from the built templates and generators packages (turbo builds them
 * first). Any other stack requires the packs it renders beyond these, as before: a VPS scaffold
 * still never compiles the fleet scripts, the containers module or the web-app module.
 */
async function defaultScaffoldPacks() {
  const { defaultAnswers, defaultStackTexts } = await import("@nixos-stack/generators");
  const { features } = await import("@nixos-stack/templates");
  const stack = JSON.parse(defaultStackTexts()[defaultAnswers("/tmp/my-infra", "/nonexistent").preset]);
  const rendered = new Set(features.filter((f) => f.applies(stack)).flatMap((f) => f.files(stack).flatMap((spec) => (spec.template === undefined ? [] : [spec.template]))));
  const alone = [...rendered].filter((id) => templateModules.get(id)?.[1] === null);
  if (alone.length) throw new Error(`build.mjs: the default scaffold renders ${alone.join(", ")}, in no pack of templates/packs/template-packs.json: add it to the pack of the templates it is rendered with`);
  const inCli = packs.filter(([, ids]) => ids.some((id) => rendered.has(id))).map(([name]) => name);
  if (!inCli.includes("every-stack")) throw new Error('build.mjs: the default scaffold does not render the "every-stack" pack; check templates/packs/template-packs.json');
  return inCli;
}
const IN_CLI = await defaultScaffoldPacks();

/** A pack's templates as one object literal: id → precompiled template. */
const packObject = (ids) => `{${ids.map((id) => `${JSON.stringify(id)}: ${precompiled(id)}`).join(",\n")}}`;
const precompiled = (id) => Handlebars.precompile(readFileSync(join(templatesDir, `${id}.hbs`), "utf8"), { noEscape: true, strict: true });
function writeModule(file, exports) {
  const { code } = transformSync(`module.exports = ${exports};`, { format: "cjs", minify: !process.env.NO_MINIFY, target: "node20" });
  const out = join(outdir, file);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, code);
}
function writeTemplateModules() {
  for (const [id, [file, key]] of templateModules) if (key === null) writeModule(file, precompiled(id));
  for (const [pack, ids] of packs) if (!IN_CLI.includes(pack)) writeModule(`./templates/packs/${pack}.cjs`, packObject(ids));
}

/** Replaces templates/src/template-sources.ts (which reads files/ at run time) with a map that
 * requires a template's precompiled module (its pack's, or its own) the first time render asks for it. */
const lazyTemplates = (format) => ({
  name: "lazy-templates",
  setup(b) {
    b.onLoad({ filter: /templates[\\/]src[\\/]template-sources\.ts$/ }, () => ({
      loader: "js",
      // CommonJS has require beside the bundle already; node:module would load Node's ES-module loader with it
      contents: `${format === "esm" ? 'import { createRequire } from "node:module";\nconst load = createRequire(import.meta.url);' : "const load = (file) => require(file);"}
const files = new Map(${JSON.stringify([...templateModules])});
// the default scaffold's packs (${IN_CLI.join(", ")}) are part of this file (IN_CLI above): no module to require
const modules = new Map([${IN_CLI.map((pack) => `[${JSON.stringify(`./templates/packs/${pack}.cjs`)}, ${packObject(packs.find(([name]) => name === pack)[1])}]`).join(",\n")}]);
function get(id) {
  const found = files.get(id);
  if (found === undefined) return undefined;
  const [file, key] = found;
  let loaded = modules.get(file);
  if (loaded === undefined) modules.set(file, (loaded = load(file)));
  return key === null ? loaded : loaded[key];
}
export const TEMPLATES_DIR = "(bundled)";
export const templateSources = {
  get,
  has: (id) => files.has(id),
  get size() { return files.size; },
  keys: () => files.keys(),
  *entries() { for (const id of files.keys()) yield [id, get(id)]; },
  *values() { for (const id of files.keys()) yield get(id); },
  forEach(fn, self) { for (const [id, spec] of this.entries()) fn.call(self, spec, id, this); },
  [Symbol.iterator]() { return this.entries(); },
};
export function loadTemplateSources() { return templateSources; }`,
    }));
  },
});

/** jsonc-parser (add-target's manifest edits) ships UMD as `main`, which esbuild cannot follow (its
 * `require` is a factory parameter): bundle its ESM build, and mark it free of side effects so the
 * `npm create` path, which never edits a manifest, leaves it out of its chunks. */
const jsoncParserEsm = {
  name: "jsonc-parser-esm",
  setup(b) {
    b.onResolve({ filter: /^jsonc-parser$/ }, (args) => ({
      path: createRequire(args.importer).resolve("jsonc-parser").replace(/lib[\\/]umd[\\/]main\.js$/, join("lib", "esm", "main.js")),
      sideEffects: false,
    }));
  },
};

/** Replaces templates/src/features/json-schema-text.ts (which stringifies the imported schema.json
 * at start) with the committed file's text as a string: the same bytes, checked here, built once. */
const inlineJsonSchemaText = {
  name: "inline-json-schema-text",
  setup(b) {
    b.onLoad({ filter: /templates[\\/]src[\\/]features[\\/]json-schema-text\.ts$/ }, () => {
      const text = readFileSync(here("../core/schema/nixos-stack.schema.json"), "utf8");
      if (text !== `${JSON.stringify(JSON.parse(text), null, 2)}\n`) throw new Error("build.mjs: core/schema/nixos-stack.schema.json is not JSON.stringify(…, null, 2) + newline; regenerate it (pnpm --filter @nixos-stack/core schema)");
      return { loader: "js", contents: `export const JSON_SCHEMA_TEXT = ${JSON.stringify(text)};` };
    });
  },
};

/** Replaces generators/src/stack/default-stacks.ts (which validates each preset's default answers
 * whole when a run first asks) with the texts it returns, taken now from the built generators
 * package (turbo builds it first): a `--yes` run reads its preset's validated manifest and builds
 * no manifest schema. The e2e tests compare such a run's manifest with validateStack's. */
const inlineDefaultStacks = {
  name: "inline-default-stacks",
  setup(b) {
    b.onLoad({ filter: /generators[\\/]src[\\/]stack[\\/]default-stacks\.ts$/ }, async () => {
      const { defaultStackTexts, STAND_IN_NAME } = await import("@nixos-stack/generators");
      return { loader: "js", contents: `const texts = ${JSON.stringify(defaultStackTexts())};\nexport const STAND_IN_NAME = ${JSON.stringify(STAND_IN_NAME)};\nexport function defaultStackTexts() { return texts; }` };
    });
  },
};

/** Replaces src/version.ts (which reads package.json at run time, relative to its own file) with the
 * version as a constant: the bundle reads no file to print --version. */
const inlineVersion = {
  name: "inline-version",
  setup(b) {
    b.onLoad({ filter: /create-nixos-stack[\\/]src[\\/]version\.ts$/ }, () => {
      const { version } = JSON.parse(readFileSync(here("package.json"), "utf8"));
      return { loader: "js", contents: `export const VERSION = ${JSON.stringify(version)};` };
    });
  },
};

/** The source modules that become files of their own, loaded by `import()` only on the path that needs them. */
const LAZY = { "./program.js": "src/cli/program.ts", "./git-init.js": "src/steps/git-init.ts" };
const LAZY_NAMES = { "./program.js": "program", "./git-init.js": "git-init" };
const lazyName = (specifier) => LAZY_NAMES[specifier];
const lazyFiles = {
  name: "lazy-files",
  setup(b) {
    b.onResolve({ filter: /^\.\/(program|steps\/git-init|git-init)\.js$/ }, (args) => (args.path in LAZY ? { path: `./${lazyName(args.path)}.mjs`, external: true } : undefined));
  },
};

/**
 * Node 20 loses a script's import() callback when V8 compiles the script from cached bytecode
 * (code-cache.ts): an `import()` in cli.cjs then throws ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING.
 * So cli.cjs imports its lazy files through a function the bin defines (compiled by Node as
 * usual, beside cli.cjs, so it resolves the same specifiers the same way), or, when the bin did
 * not define it (Node ≥ 22.1, or no cache), through an import() of its own.
 */
const IMPORT_CHUNK = "__importChunk";
const EXPECTED_IMPORTS = new Set([...Object.values(LAZY_NAMES).map((name) => `./${name}.mjs`), "node-plop"]);
function routeImports(file) {
  const text = readFileSync(file, "utf8");
  const found = new Set();
  const routed = text.replace(/\bimport\("([^"]+)"\)/g, (_, specifier) => {
    found.add(specifier);
    return `${IMPORT_CHUNK}(${JSON.stringify(specifier)})`;
  });
  const unexpected = [...found].filter((s) => !EXPECTED_IMPORTS.has(s));
  const computed = routed.split("import(").length - 1;
  if (unexpected.length || computed) throw new Error(`build.mjs: cli.cjs imports ${unexpected.join(", ") || `${computed} module(s) by a computed name`}; route it through ${IMPORT_CHUNK} (see routeImports)`);
  const strict = '"use strict";';
  const body = routed.startsWith(strict) ? routed.slice(strict.length) : routed;
  writeFileSync(file, `${routed.startsWith(strict) ? strict : ""}var ${IMPORT_CHUNK}=globalThis[Symbol.for("create-nixos-stack.import")]||(s=>import(s));${body}`);
}

const common = {
  outdir,
  bundle: true,
  platform: "node",
  target: "node20",
  conditions: ["source"],
  minify: !process.env.NO_MINIFY,
  legalComments: "linked",
  metafile: Boolean(process.env.ANALYZE),
  logLevel: "warning",
};

rmSync(outdir, { recursive: true, force: true });
writeTemplateModules();
const results = await Promise.all([
  // the entry and its code cache (code-cache.ts): Node's own modules only, nothing of the CLI
  build({ ...common, entryPoints: { bin: here("src/bin.ts") }, format: "cjs", outExtension: { ".js": ".cjs" }, external: ["./cli.cjs"] }),
  build({
    ...common,
    entryPoints: { cli: here("src/run.ts") },
    format: "cjs",
    outExtension: { ".js": ".cjs" },
    external: ["node-plop"],
    // every template is precompiled above, so the bin needs only the Handlebars runtime, not its compiler
    alias: { handlebars: "handlebars/runtime" },
    plugins: [lazyTemplates("cjs"), inlineVersion, inlineJsonSchemaText, inlineDefaultStacks, lazyFiles, jsoncParserEsm],
  }),
  build({
    ...common,
    entryPoints: Object.fromEntries(Object.entries(LAZY).map(([specifier, source]) => [lazyName(specifier), here(source)])),
    format: "esm",
    outExtension: { ".js": ".mjs" },
    external: ["node-plop"],
    alias: { handlebars: "handlebars/runtime" },
    plugins: [lazyTemplates("esm"), inlineVersion, inlineJsonSchemaText, inlineDefaultStacks],
    // commander and execa's dependencies call require() for Node's own modules
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  }),
]);
routeImports(join(outdir, "cli.cjs"));
for (const result of results) if (result.metafile) console.log(await analyzeMetafile(result.metafile));
