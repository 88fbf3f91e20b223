/**
 * Phase 2, static: Nix parse (batched), shell scripts, secrets lint and git
 * tracking, without evaluating anything. The slow parts (nix-instantiate,
 * bash -n, shellcheck) run concurrently; the lints are pure functions over the
 * files read once.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { LineIndex } from "../../text/line-index.js";
import { lexNix, type NixToken } from "../../text/nix-lexer.js";
import { nixPathRefs, type PathRef } from "../../text/nix-paths.js";
import { listRepoFiles, type RepoFiles } from "../../repo-files.js";
import { findOnPath } from "../../tools.js";
import type { Finding, PhaseResult } from "../../types.js";
import { lintGitTracking } from "./git-tracked.js";
import { parseErrorFinding, parseNixFilesBatched } from "./nix-parse.js";
import { lintNixSecrets, lintSecretFiles, looksEncrypted, SECRETS_DIR, type SecretFile } from "./secrets-lint.js";
import { checkShellScripts, shellDialect, type ShellScript } from "./shell.js";

/** Larger files are not read for linting (a repo of configuration has none). */
const MAX_READ = 1 << 20;

async function readSmall(path: string): Promise<string | undefined> {
  try {
    const info = await stat(path);
    if (!info.isFile() || info.size > MAX_READ) return undefined;
    return await readFile(path, "utf8");
  } catch {
    return undefined;
  }
}

async function filesUnder(dir: string, rel: string): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(join(dir, rel), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const path = `${rel}/${e.name}`;
    if (e.isDirectory()) out.push(...(await filesUnder(dir, path)));
    else if (e.isFile()) out.push(path);
  }
  return out;
}

interface NixSource {
  file: string;
  content: string;
  lines: LineIndex;
  tokens: NixToken[];
  refs: PathRef[];
}

/** The shell scripts among the repo's files: .sh, or a shebang / shellcheck directive naming sh or bash. */
async function findScripts(dir: string, files: readonly string[]): Promise<ShellScript[]> {
  const candidates = files.filter((f) => f.endsWith(".sh") || !f.split("/").pop()!.includes("."));
  const scripts = await Promise.all(
    candidates.map(async (file) => {
      const content = await readSmall(join(dir, file));
      const dialect = content === undefined ? undefined : shellDialect(file, content);
      return dialect ? { file, dialect } : undefined;
    }),
  );
  return scripts.filter((s): s is ShellScript => s !== undefined);
}

export interface StaticPhaseOptions {
  /** reuse a listing (the flake phase shares it); listed afresh otherwise */
  repo?: RepoFiles;
  /** test seam: where nix-instantiate and shellcheck are (default: PATH) */
  findTool?: (name: "nix-instantiate" | "shellcheck") => Promise<string | undefined>;
}

export async function runStaticPhase(dir: string, options: StaticPhaseOptions = {}): Promise<Omit<PhaseResult, "durationMs">> {
  const repo = options.repo ?? (await listRepoFiles(dir));
  const findTool = options.findTool ?? ((name: string) => findOnPath(name));
  const nixFiles = repo.files.filter((f) => f.endsWith(".nix"));
  const [nixSources, scripts, secretsDirFiles, nixInstantiate, shellcheck] = await Promise.all([
    Promise.all(
      nixFiles.map(async (file): Promise<NixSource | undefined> => {
        const content = await readSmall(join(dir, file));
        if (content === undefined) return undefined;
        const lines = new LineIndex(content);
        const tokens = lexNix(content);
        return { file, content, lines, tokens, refs: nixPathRefs(file, tokens, lines) };
      }),
    ),
    findScripts(dir, repo.files),
    filesUnder(dir, SECRETS_DIR).then((paths) => Promise.all(paths.map(async (path): Promise<SecretFile> => ({ path, content: await readSmall(join(dir, path)) })))),
    findTool("nix-instantiate"),
    findTool("shellcheck"),
  ]);
  const sources = nixSources.filter((s): s is NixSource => s !== undefined);
  const byFile = new Map(sources.map((s) => [s.file, s]));

  // started now, awaited after the lints; settled at once so a failure is never an unhandled rejection
  const parse = nixInstantiate ? settle(parseNixFilesBatched(sources.map((s) => join(dir, s.file)), { bin: nixInstantiate })) : undefined;
  const shell = settle(checkShellScripts(dir, scripts, shellcheck));

  // what the path literals point at, for the git-tracking lint (ignored files included)
  const targets = [...new Set(sources.flatMap((s) => s.refs.map((r) => r.target)).filter((t): t is string => t !== undefined))];
  const kinds = new Map(
    await Promise.all(
      targets.map(async (t) => {
        const info = await stat(join(dir, t)).catch(() => undefined);
        return [t, info?.isFile() ? "file" : info?.isDirectory() ? "dir" : undefined] as const;
      }),
    ),
  );
  const secretContents = new Map(secretsDirFiles.map((f) => [f.path, f.content]));
  // with sops (a .sops.yaml), a secrets/ file not created yet is one `sops` will write encrypted:
  // modules/secrets.nix names it and reads it only once it exists (builtins.pathExists)
  const sopsRepo = repo.files.includes(".sops.yaml");
  const isEncrypted = (path: string) =>
    secretContents.has(path) ? looksEncrypted(path, secretContents.get(path)) : sopsRepo && /\.(?:env|ya?ml|json|ini)$/.test(path);

  const findings: Finding[] = [];
  for (const s of sources) findings.push(...lintNixSecrets(s.file, s.content, s.tokens, s.lines, s.refs, { isEncrypted }));
  findings.push(...lintSecretFiles(repo, secretsDirFiles));
  findings.push(
    ...lintGitTracking(
      repo,
      sources.flatMap((s) => s.refs),
      { exists: (p) => kinds.get(p), ignored: (p) => kinds.get(p) !== undefined && !repo.tracked.has(p) && !repo.untracked.has(p) },
    ),
  );

  const [parseResult, shellResult] = await Promise.all([parse, shell]);
  if (parseResult && !parseResult.ok) throw parseResult.error;
  if (!shellResult.ok) throw shellResult.error;
  const parsed = parseResult?.value;
  const shellOutcome = shellResult.value;
  const prefix = dir.endsWith("/") ? dir : `${dir}/`;
  for (const { file, error } of parsed?.errors ?? []) {
    const rel = file.startsWith(prefix) ? file.slice(prefix.length) : file;
    findings.push(parseErrorFinding(rel, error, (line) => byFile.get(rel)?.lines.lineText(line)));
  }
  findings.push(...shellOutcome.findings);
  if (shellOutcome.shellcheck === "missing" && scripts.length > 0) {
    findings.push({ phase: "static", severity: "info", rule: "shellcheck-missing", message: "shellcheck is not installed: scripts were only checked with `bash -n` (install shellcheck for the full lint)" });
  }

  const parts = [
    nixInstantiate ? `${sources.length} .nix files parsed (${parsed!.processes} nix process${parsed!.processes === 1 ? "" : "es"})` : `${sources.length} .nix files not parsed`,
    scripts.length === 0
      ? "no scripts"
      : `${scripts.length} script${scripts.length === 1 ? "" : "s"} (${shellOutcome.shellcheck === "ran" ? "bash -n + shellcheck" : "bash -n; shellcheck skipped"})`,
    "secrets lint",
    repo.git ? "git tracking" : "not a git repo",
  ];
  return {
    phase: "static",
    status: nixInstantiate ? "ran" : "incomplete",
    reason: nixInstantiate ? undefined : "nix-instantiate is not installed, so .nix files were not parsed: install Nix (https://nixos.org/download) — or let the flake phase find parse errors through --runner docker",
    summary: parts.join(", "),
    findings: sortFindings(findings),
  };
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

export function sortFindings(findings: Finding[]): Finding[] {
  const rank = { error: 0, warning: 1, info: 2 };
  return [...findings].sort(
    (a, b) => (a.file ?? "\uffff").localeCompare(b.file ?? "\uffff") || (a.line ?? 0) - (b.line ?? 0) || rank[a.severity] - rank[b.severity],
  );
}
