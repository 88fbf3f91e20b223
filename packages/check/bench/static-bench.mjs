// The static phase's Nix parsing, batched (as `check` does it) against one
// nix-instantiate process per file, on a repo such as the largest example.
// Uses the built package (../dist): run `pnpm build` first. Prints nothing;
// scripts/bench.mjs prints the figures. Nothing here is asserted.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import { listRepoFiles, parseNixFilesBatched, runStaticPhase } from "../dist/index.js";

const run = promisify(execFile);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function time(fn) {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/**
 * @param {{ dir: string, runs?: number }} options
 * @returns {Promise<{ batchedMedianMs: number, perFileMedianMs: number, ratio: number, files: number, processes: number, staticPhaseMedianMs: number }>}
 *   batchedMedianMs: every .nix file parsed by `check`'s batched parse (one process when all parse);
 *   perFileMedianMs: the same files, one `nix-instantiate --parse` process each, one after another;
 *   ratio: perFile / batched (target ≥ 5);
 *   staticPhaseMedianMs: the whole static phase (parse, bash -n, shellcheck, secrets and git lints; target < 1500 ms).
 */
export async function benchStaticPhase({ dir, runs = 9 }) {
  const repo = await listRepoFiles(dir);
  const files = repo.files.filter((f) => f.endsWith(".nix")).map((f) => join(dir, f));
  const batched = [];
  const perFile = [];
  const phase = [];
  let processes = 0;
  // one extra round first, to warm the file cache and the binaries, not counted
  for (let i = 0; i <= runs; i++) {
    const b = await time(async () => {
      processes = (await parseNixFilesBatched(files)).processes;
    });
    const p = await time(async () => {
      for (const f of files) await run("nix-instantiate", ["--parse", f]).catch(() => undefined);
    });
    const s = await time(() => runStaticPhase(dir, { repo }));
    if (i === 0) continue;
    batched.push(b);
    perFile.push(p);
    phase.push(s);
  }
  const batchedMedianMs = median(batched);
  const perFileMedianMs = median(perFile);
  return { batchedMedianMs, perFileMedianMs, ratio: perFileMedianMs / batchedMedianMs, files: files.length, processes, staticPhaseMedianMs: median(phase) };
}

// `node bench/static-bench.mjs <dir>`: the figures for one repo
if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? new URL("../../../examples/vps", import.meta.url).pathname;
  const r = await benchStaticPhase({ dir, runs: Number(process.env.BENCH_RUNS ?? 9) });
  console.log(`static phase on ${dir} (${r.files} .nix files)`);
  console.log(`  batched parse (${r.processes} nix process)   ${r.batchedMedianMs.toFixed(1)} ms`);
  console.log(`  one nix process per file        ${r.perFileMedianMs.toFixed(1)} ms   (${r.ratio.toFixed(1)}× the batched time; target ≥ 5×)`);
  console.log(`  whole static phase              ${r.staticPhaseMedianMs.toFixed(1)} ms   (target < 1500 ms)`);
}
