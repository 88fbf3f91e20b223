/** Finding the external tools `check` drives, without spawning a process to ask. */
import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { execa } from "execa";

export async function findOnPath(bin: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, bin);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this PATH entry
    }
  }
  return undefined;
}

export type Probe = { ok: true } | { ok: false; reason: string };

/** "A Docker engine answers": `docker info` exits 0 within a few seconds (a bare client with no engine fails or hangs). */
export async function dockerEngineAnswers(timeoutMs = 5000): Promise<Probe> {
  if (!(await findOnPath("docker"))) return { ok: false, reason: "no `docker` on PATH" };
  const result = await execa("docker", ["info", "--format", "{{.ServerVersion}}"], { reject: false, timeout: timeoutMs });
  if (result.timedOut) return { ok: false, reason: `\`docker info\` did not answer within ${timeoutMs / 1000} s` };
  if (result.exitCode !== 0) {
    const why = (result.stderr || result.stdout).trim().split("\n").filter(Boolean).pop() ?? `exit code ${result.exitCode}`;
    return { ok: false, reason: `the Docker engine does not answer (${why})` };
  }
  return { ok: true };
}
