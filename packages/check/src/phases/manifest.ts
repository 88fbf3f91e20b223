/**
 * Phase 1, manifest: nixos-stack.json is a valid stack, and every managed file
 * is exactly what that manifest renders. A difference is either drift (the file
 * is as nixos-stack last wrote it, but the manifest or templates changed since:
 * re-sync) or a hand edit (the file no longer matches the lock's hash: sync will
 * not overwrite it). Reads only.
 */
import { join } from "node:path";
import { contentHasher, formatFieldError, hashMatches, LOCK_PATH, parseStackJson, readIfExists, readLock, type ContentHash, type FileTree, type StackLock } from "@nixos-stack/core";
import { renderStack } from "@nixos-stack/templates";
import { diffLines, describeHunk } from "../text/line-diff.js";
import { jsonErrorPosition, locateJsonField } from "../text/json-locate.js";
import type { Finding, PhaseResult } from "../types.js";

export const MANIFEST_FILE = "nixos-stack.json";
const SYNC = "./stack.sh sync";
/** For a repo without its stack.sh (written before there was one, or deleted): the published bin, which writes it. */
const SYNC_WITHOUT_SCRIPT = "npm create nixos-stack@latest -- --sync .";

function clip(line: string, from = 0): string {
  const t = line.trim();
  const start = Math.max(0, Math.min(from, t.length - 60));
  const head = start > 0 ? `...${t.slice(start)}` : t;
  return head.length > 70 ? `${head.slice(0, 67)}...` : head;
}

/** Both lines clipped from a little before where they first differ, so the difference is in view. */
function clipPair(expected: string, found: string): [string, string] {
  const a = expected.trim();
  const b = found.trim();
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = i > 50 ? i - 20 : 0;
  return [clip(a, from), clip(b, from)];
}

/** Pure: compare the rendered tree with the files on disk (path → content, undefined when missing). */
export function compareManagedFiles(tree: FileTree, onDisk: ReadonlyMap<string, string | undefined>, lock: StackLock, lockPresent: boolean, hash: ContentHash): Finding[] {
  const findings: Finding[] = [];
  const sync = onDisk.get("stack.sh") === undefined ? SYNC_WITHOUT_SCRIPT : SYNC;
  for (const [path, file] of tree) {
    // the manifest is the source of truth, edited by hand on purpose; the other files are compared against it
    if (path === MANIFEST_FILE) continue;
    const actual = onDisk.get(path);
    if (actual === undefined) {
      findings.push(
        file.ownership === "managed"
          ? { phase: "manifest", severity: "error", file: path, rule: "managed-missing", message: `managed file is missing: run \`${sync}\` to write it again` }
          : { phase: "manifest", severity: "info", file: path, rule: "scaffold-missing", message: `scaffold file is missing (it was written once for you to own); sync writes it again if you want it back` },
      );
      continue;
    }
    if (file.ownership !== "managed" || actual === file.content) continue;
    const hunks = diffLines(file.content, actual);
    const first = hunks[0];
    const where = hunks.slice(0, 3).map(describeHunk).join(", ") + (hunks.length > 3 ? ` and ${hunks.length - 3} more` : "");
    const detail = first
      ? first.expectedLines.length && first.actualLines.length
        ? `; ${describeHunk(first)}: expected \`${clipPair(first.expectedLines[0]!, first.actualLines[0]!).join("`, found `")}\``
        : first.actualLines.length
          ? `; ${describeHunk(first)} added: \`${clip(first.actualLines[0]!)}\``
          : `; missing ${describeHunk(first)}: \`${clip(first.expectedLines[0]!)}\``
      : "";
    const recorded = lock.managed[path];
    const handEdit = lockPresent && recorded !== undefined && !hashMatches(recorded, actual, hash);
    findings.push({
      phase: "manifest",
      severity: "error",
      file: path,
      line: first ? Math.max(1, first.actualStart) : undefined,
      rule: handEdit ? "managed-hand-edit" : "managed-drift",
      source: first?.actualLines[0],
      message: handEdit
        ? `hand edit to a managed file (${where})${detail}. Sync will not overwrite it: move the change into the host's configuration.nix or nixos-stack.json, then restore the file with \`git checkout -- ${path}\` and sync`
        : `differs from what nixos-stack.json renders (${where})${detail}: run \`${sync}\``,
    });
  }
  for (const path of Object.keys(lock.managed).sort()) {
    if (!tree.has(path) && onDisk.get(path) !== undefined) {
      findings.push({ phase: "manifest", severity: "warning", file: path, rule: "managed-orphan", message: `was written by nixos-stack, but nixos-stack.json no longer renders it (a host or service removed?): delete it if nothing imports it` });
    }
  }
  return findings;
}

export async function runManifestPhase(dir: string): Promise<Omit<PhaseResult, "durationMs">> {
  const base = { phase: "manifest" as const };
  const text = await readIfExists(join(dir, MANIFEST_FILE));
  if (text === undefined) {
    return { ...base, status: "could-not-run", reason: `no ${MANIFEST_FILE} in ${dir}: run check in a nixos-stack repo (or pass its directory), or choose --phase static,flake`, summary: "no manifest", findings: [] };
  }
  const parsed = parseStackJson(text, MANIFEST_FILE);
  if (!parsed.ok) {
    const findings: Finding[] = parsed.errors.map((e) => {
      const jsonPos = e.path === MANIFEST_FILE ? jsonErrorPosition(text, e.rule) : undefined;
      const line = jsonPos?.line ?? locateJsonField(text, e.path);
      return { phase: "manifest", severity: "error", file: MANIFEST_FILE, line, column: jsonPos?.column, rule: "manifest-schema", message: formatFieldError(e) };
    });
    return { ...base, status: "ran", summary: `${MANIFEST_FILE} is not a valid stack; files not compared`, findings };
  }
  const tree = renderStack(parsed.stack);
  const lockPresent = (await readIfExists(join(dir, LOCK_PATH))) !== undefined;
  const lock = await readLock(dir);
  const paths = new Set([...tree.keys(), ...Object.keys(lock.managed)]);
  const onDisk = new Map<string, string | undefined>();
  await Promise.all([...paths].map(async (p) => onDisk.set(p, await readIfExists(join(dir, p)))));
  const findings = compareManagedFiles(tree, onDisk, lock, lockPresent, await contentHasher());
  const managed = [...tree.values()].filter((f) => f.ownership === "managed").length;
  const differing = findings.filter((f) => f.rule === "managed-drift" || f.rule === "managed-hand-edit" || f.rule === "managed-missing").length;
  return { ...base, status: "ran", summary: `valid stack; ${managed - differing}/${managed} managed files match`, findings };
}
