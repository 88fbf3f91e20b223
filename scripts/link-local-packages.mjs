#!/usr/bin/env node
// Before @nixos-stack/generators is published: point a generated repo at this clone's packages,
// so `npx plop add-target` works in it. Run `pnpm build` in the clone first.
//
//   node /path/to/nixos-stack/scripts/link-local-packages.mjs [repo-dir]     (default: .)
//
// It links <repo>/node_modules/@nixos-stack/generators to the clone's generators/ and
// <repo>/node_modules/plop (and .bin/plop) to the plop the clone installed, replacing what
// `npm install` put there. Nothing else in the repo changes; node_modules/ is ignored by git.
import { existsSync, lstatSync, mkdirSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const clone = resolve(new URL("..", import.meta.url).pathname);
const repo = resolve(process.argv[2] ?? ".");

function fail(message) {
  process.stderr.write(`✖ ${message}\n`);
  process.exit(1);
}

if (process.argv.includes("--help") || process.argv.includes("-h")) {
  process.stdout.write("Usage: node scripts/link-local-packages.mjs [repo-dir]\nLinks a generated repo's node_modules to this clone's @nixos-stack/generators and plop.\n");
  process.exit(0);
}
if (!existsSync(join(repo, "nixos-stack.json"))) fail(`${repo} has no nixos-stack.json: give the directory of a generated repo`);
const generators = join(clone, "generators");
if (!existsSync(join(generators, "dist/index.js"))) fail(`${generators}/dist is missing: run \`pnpm install && pnpm build\` in ${clone} first`);
const plop = realpathSync(join(generators, "node_modules/plop"));

/** Replaces `path` (a link, or a package npm installed) with a relative symlink to `target`. */
function link(path, target) {
  mkdirSync(dirname(path), { recursive: true });
  if (existsSync(path) || lstatSync(path, { throwIfNoEntry: false })) rmSync(path, { recursive: true, force: true });
  symlinkSync(relative(dirname(path), target), path);
  process.stdout.write(`linked ${relative(repo, path)} -> ${target}\n`);
}

const modules = join(repo, "node_modules");
link(join(modules, "@nixos-stack/generators"), generators);
link(join(modules, "plop"), plop);
link(join(modules, ".bin/plop"), join(modules, "plop/bin/plop.js"));
process.stdout.write("Now: npx plop add-target (or: npx plop add-target -- --name lab --system x86_64-linux --address 192.168.1.20 --profile vps --tags '')\n");
