/**
 * What every command is given to talk to the user: the process streams and environment (main.ts,
 * the subcommands under commands/ and the helpers under cli/ all take one), and the colours that
 * follow from them. A module of its own so that the commands stand below main.ts, which runs them.
 */
import pc from "picocolors";

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  stdinIsTTY: boolean;
  env: NodeJS.ProcessEnv;
}

/** Colours on a terminal, off in a pipe or when NO_COLOR is set (https://no-color.org). */
export function colors(io: Io) {
  return pc.createColors(Boolean(io.stdout.isTTY) && !("NO_COLOR" in io.env));
}
