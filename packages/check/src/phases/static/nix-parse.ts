/**
 * Every .nix file parsed by Nix's own parser in one batched process:
 * `nix-instantiate --parse a.nix b.nix …` prints one line per file and stops at
 * the first file that fails. The number of lines printed tells which file that
 * was (its error names it too), so the batch resumes after it: one process for a
 * clean repo, one more per broken file. Nix's parser also reports undefined
 * variables (outside `with`), so both come out of the same run.
 */
import { execa } from "execa";
import type { Finding } from "../../types.js";

export interface NixErrorLocation {
  path: string;
  line: number;
  column: number;
}

export interface NixParseError {
  message: string;
  location?: NixErrorLocation;
}

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;
const AT = /^\s*at (.+):(\d+):(\d+):?$/;

/** Pure: the first `error:` block of nix-instantiate's stderr, with its message and position. */
export function parseNixInstantiateError(stderr: string): NixParseError | undefined {
  const lines = stderr.replace(ANSI, "").split("\n");
  const start = lines.findIndex((l) => /^error: /.test(l));
  if (start === -1) return undefined;
  const message: string[] = [lines[start]!.replace(/^error: /, "").trim()];
  let location: NixErrorLocation | undefined;
  for (const raw of lines.slice(start + 1)) {
    if (/^\S/.test(raw)) break; // the next top-level message
    const at = AT.exec(raw);
    if (at) {
      location = { path: at[1]!, line: Number(at[2]), column: Number(at[3]) };
      break;
    }
    if (raw.trim() && !/^\s*\d*\s*\|/.test(raw)) message.push(raw.trim());
  }
  if (!location) {
    // `error: getting status of '/x/y.nix': No such file or directory` names the file without a position
    const quoted = /'(\/[^']+)'/.exec(message[0]!);
    if (quoted) return { message: message.join(" "), location: { path: quoted[1]!, line: 0, column: 0 } };
  }
  return { message: message.join(" "), location };
}

export interface NixParseOptions {
  /** the nix-instantiate binary (default: from PATH) */
  bin?: string;
  /** the most files given to one process (argv length); default 500 */
  chunk?: number;
}

export interface NixParseOutcome {
  errors: Array<{ file: string; error: NixParseError }>;
  /** how many nix-instantiate processes ran */
  processes: number;
}

/** Parses absolute paths in as few processes as possible; errors are keyed by the path given. */
export async function parseNixFilesBatched(files: readonly string[], options: NixParseOptions = {}): Promise<NixParseOutcome> {
  const bin = options.bin ?? "nix-instantiate";
  const chunk = options.chunk ?? 500;
  const errors: NixParseOutcome["errors"] = [];
  let processes = 0;
  let queue = [...files];
  while (queue.length > 0) {
    const batch = queue.slice(0, chunk);
    processes++;
    // --parse is read-only by itself (only --read-write-mode would open the store database)
    const result = await execa(bin, ["--parse", ...batch], { reject: false, stripFinalNewline: false, env: { NO_COLOR: "1" } });
    if (result.exitCode === 0) {
      queue = queue.slice(batch.length);
      continue;
    }
    if (result.exitCode === undefined || (result as { code?: string }).code === "ENOENT") {
      throw new Error(`could not run ${bin}: ${result.message}`);
    }
    const error = parseNixInstantiateError(result.stderr) ?? { message: result.stderr.trim() || `${bin} exited with code ${result.exitCode}` };
    // one line of output per file parsed before the failure; the error's own path agrees when it has one
    const printed = result.stdout.split("\n").length - 1;
    const named = error.location ? batch.indexOf(error.location.path) : -1;
    const failed = named >= 0 ? named : Math.min(printed, batch.length - 1);
    errors.push({ file: batch[failed]!, error });
    queue = queue.slice(failed + 1);
  }
  return { errors, processes };
}

/** Pure: a parse error as a finding (`nix-undefined-variable` or `nix-parse`) at the file's line and column. */
export function parseErrorFinding(file: string, error: NixParseError, sourceLine?: (line: number) => string | undefined): Finding {
  const line = error.location && error.location.line > 0 ? error.location.line : undefined;
  return {
    phase: "static",
    severity: "error",
    file,
    line,
    column: line ? error.location!.column : undefined,
    rule: /^undefined variable/.test(error.message) ? "nix-undefined-variable" : "nix-parse",
    message: error.message,
    source: line ? sourceLine?.(line) : undefined,
  };
}
