/**
 * Recording stand-ins that also act: each logs its argv, working directory, NIX_SSHOPTS, when it
 * started and ended, and how many stand-ins of the set were running when it started (its
 * "peak"), then runs a bash snippet of the test's (print output, sleep, set `code`). The peaks
 * and the intervals prove that the fleet scripts run targets at the same time, and how many.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { whichReal } from "./deploy-repo.js";

export interface TimedCall {
  cmd: string;
  cwd: string;
  /** NIX_SSHOPTS and NIX_CONFIG as the stand-in saw them; undefined when unset. */
  nixSshOpts: string | undefined;
  nixConfig: string | undefined;
  /** Milliseconds since the epoch. */
  start: number;
  end: number;
  /** Stand-ins of this set running when this one started, itself included. */
  peak: number;
  args: string[];
}

/** What a stand-in does between recording its start and its end: bash that may print, sleep, and set `code`. */
export type Behaviour = string;

export class TimedStubs {
  readonly bin: string;
  private readonly log: string;
  private readonly running: string;

  constructor(at: string, behaviours: Record<string, Behaviour>) {
    this.bin = at;
    mkdirSync(at, { recursive: true });
    this.log = `${at}.calls`;
    this.running = `${at}.running`;
    mkdirSync(this.running, { recursive: true });
    writeFileSync(this.log, "");
    const bash = whichReal("bash");
    for (const [name, behaviour] of Object.entries(behaviours)) {
      const path = join(this.bin, name);
      writeFileSync(
        path,
        [
          `#!${bash}`,
          "start=$EPOCHREALTIME",
          `running=${JSON.stringify(this.running)}`,
          ': >"$running/$$"',
          'others=("$running"/*)',
          "peak=${#others[@]}",
          "code=0",
          behaviour,
          'rm -f "$running/$$"',
          `printf '%s\\0' ${JSON.stringify(name)} "$PWD" "\${NIX_SSHOPTS-<unset>}" "\${NIX_CONFIG-<unset>}" "$start" "$EPOCHREALTIME" "$peak" "$#" "$@" >>${JSON.stringify(this.log)}`,
          'exit "$code"',
          "",
        ].join("\n"),
      );
      chmodSync(path, 0o755);
    }
  }

  calls(): TimedCall[] {
    const fields = readFileSync(this.log, "utf8").split("\0");
    const calls: TimedCall[] = [];
    const ms = (s: string) => Math.round(Number(s.replace(",", ".")) * 1000);
    const env = (value: string | undefined) => (value === "<unset>" ? undefined : value);
    for (let i = 0; i + 7 < fields.length; ) {
      const count = Number(fields[i + 7]);
      calls.push({
        cmd: fields[i]!,
        cwd: fields[i + 1]!,
        nixSshOpts: env(fields[i + 2]),
        nixConfig: env(fields[i + 3]),
        start: ms(fields[i + 4]!),
        end: ms(fields[i + 5]!),
        peak: Number(fields[i + 6]),
        args: fields.slice(i + 8, i + 8 + count),
      });
      i += 8 + count;
    }
    return calls;
  }

  /** [cmd, ...args] of every call, in the order they ended. */
  argv(): string[][] {
    return this.calls().map((c) => [c.cmd, ...c.args]);
  }
}

/** The most calls of `calls` that ran at the same moment, from their intervals. */
export function maxOverlap(calls: readonly TimedCall[]): number {
  const edges = calls.flatMap((c) => [
    { t: c.start, d: 1 },
    { t: c.end, d: -1 },
  ]);
  // an end at the same millisecond as a start is counted first: touching is not overlapping
  edges.sort((a, b) => a.t - b.t || a.d - b.d);
  let now = 0;
  let max = 0;
  for (const e of edges) {
    now += e.d;
    max = Math.max(max, now);
  }
  return max;
}
