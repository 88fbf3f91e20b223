/**
 * What every command is given to talk to the user: the process streams and environment (main.ts,
 * the subcommands under commands/ and the helpers under cli/ all take one), and the colours that
 * follow from them. A module of its own so that the commands stand below main.ts, which runs them.
 */
import pc from "picocolors";

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

/** Colours on a terminal, off in a pipe or when NO_COLOR is set (https://no-color.org). NO_COLOR is read first: it answers without asking what stdout is. */
export function colors(io: Io) {
  return pc.createColors(!("NO_COLOR" in io.env) && Boolean(io.stdout.isTTY));
}

/**
 * Before anything another library writes to the process's streams itself (inquirer's prompts,
 * plop): from then on ours go through the same streams, so neither overtakes the other.
 */
export function useStreams(io: Io): void {
  io.stdout.handOver?.();
  io.stderr.handOver?.();
}
