/** Runs Debian's real Nix in tests. */
import { execFileSync, spawnSync } from "node:child_process";

export const hasNix = spawnSync("nix-instantiate", ["--version"]).status === 0;
export const hasShellcheck = spawnSync("shellcheck", ["--version"]).status === 0;

/** Evaluate a Nix expression strictly and return it as JSON. */
export function nixEvalJson(expr: string, cwd?: string): unknown {
  const out = execFileSync("nix-instantiate", ["--eval", "--strict", "--json", "-E", expr], { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(out);
}

/** Parse files with one nix-instantiate process; returns stderr on failure. */
export function nixParseFiles(files: string[], cwd?: string): { ok: boolean; stderr: string } {
  const result = spawnSync("nix-instantiate", ["--parse", ...files], { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  return { ok: result.status === 0, stderr: result.stderr };
}
