/**
 * A bundle built moments ago has not settled (code-cache.ts: SETTLE_MS): runs then hash its
 * sources (loading node:crypto), and the first run after it settles writes each entry's identity
 * once. Tests that count what a run loads or writes wait for it first, so the result does not
 * depend on how soon after the build they start.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileIdentity, SETTLE_MS } from "../code-cache.js";

/** Resolves once every .cjs file of the bundle beside `bin` has settled; true if they all have. */
export async function waitForSettledBundle(bin: string): Promise<boolean> {
  const files = existsSync(bin) ? readdirSync(dirname(bin), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".cjs")).map((f) => join(dirname(bin), f)) : [];
  const changed = Math.max(0, ...files.map((f) => statSync(f).ctimeMs));
  const wait = changed + SETTLE_MS + 50 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  return files.every((f) => fileIdentity(f, Date.now())?.settled === true);
}

/** How long a beforeAll that waits for it may take. */
export const SETTLE_TIMEOUT_MS = SETTLE_MS + 5_000;
