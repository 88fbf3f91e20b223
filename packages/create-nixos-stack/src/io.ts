/**
 * What every command is given to talk to the user: the process streams and environment (main.ts,
 * the subcommands under commands/ and the helpers under cli/ all take one), and the colours that
 * follow from them. A module of its own so that the commands stand below main.ts, which runs them.
 */
import { styleText } from "node:util";

/** Where a command writes: the bin's are cli/direct-output.ts's, a test's any stream. */
export interface Output {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  /** Writes go through the process's own stream from now on (cli/direct-output.ts). */
  handOver?(): void;
}

export interface Io {
  stdout: Output;
  stderr: Output;
  stdinIsTTY: boolean;
  env: NodeJS.ProcessEnv;
}

/** The colours the bin prints in. */
export interface Colors {
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
}

/**
 * Node's own util.styleText (Node ≥ 20.12), not picocolors: picocolors asks `process.stdout.isTTY`
 * when it loads, which makes the stream (a tty.WriteStream, or a net.Socket for a pipe) that
 * cli/direct-output.ts exists to avoid (3 ms of a start; README, Speed). Whether to colour at all
 * is decided here, so styleText is told not to look at a stream (`validateStream`, Node ≥ 22.13).
 */
export function createColors(enabled: boolean): Colors {
  // the options argument is Node ≥ 22.13's (@types/node 20 does not know it); older Nodes ignore it
  const styled = styleText as (format: string, text: string, options?: { validateStream?: boolean }) => string;
  const style = (format: "green" | "red" | "yellow") => (enabled ? (text: string) => styled(format, text, { validateStream: false }) : (text: string) => text);
  return { green: style("green"), red: style("red"), yellow: style("yellow") };
}

/** Colours on a terminal, off in a pipe or when NO_COLOR is set (https://no-color.org). NO_COLOR is read first: it answers without asking what stdout is. */
export function colors(io: Io): Colors {
  return createColors(!("NO_COLOR" in io.env) && Boolean(io.stdout.isTTY));
}

/**
 * Before anything another library writes to the process's streams itself (inquirer's prompts,
 * plop): from then on ours go through the same streams, so neither overtakes the other.
 */
export function useStreams(io: Io): void {
  io.stdout.handOver?.();
  io.stderr.handOver?.();
}
