#!/usr/bin/env node
// pnpm examples            regenerate every examples/<name>/ from its nixos-stack.json
// pnpm examples -- --check fail (exit 1) if any example differs from a fresh render
import { diffExample, exampleNames, writeExample } from "./lib/examples.mjs";

const check = process.argv.includes("--check");
let failed = false;
for (const name of await exampleNames()) {
  if (check) {
    const diffs = await diffExample(name);
    if (diffs.length) {
      failed = true;
      console.error(`✖ examples/${name} is stale (run \`pnpm examples\`):\n  ${diffs.join("\n  ")}`);
    } else console.log(`✔ examples/${name} matches its nixos-stack.json`);
  } else {
    await writeExample(name);
    console.log(`✔ wrote examples/${name}`);
  }
}
process.exitCode = failed ? 1 : 0;
