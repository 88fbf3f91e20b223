/**
 * Pure: `nix flake check` stderr → what failed, on which host, for which option,
 * in which file. Handles Nix 2.8's layout (message first, then "… while" frames,
 * innermost first) and the newer one (frames outermost first, then the message
 * after a nested `error:`), with or without `--show-trace`.
 */

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;
const AT = /^at (.+):(\d+):(\d+):?$/;
const SNIPPET = /^(\d+)\| ?(.*)$/;
const STORE_PATH = /^\/nix\/store\/[0-9a-z]{32}-[^/]+\/(.+)$/;

export interface NixPosition {
  path: string;
  line: number;
  column: number;
  /** the source line Nix printed under the position */
  snippet?: string;
}

export interface NixFrame {
  /** `while checking the NixOS configuration 'nixosConfigurations.web'` */
  text: string;
  position?: NixPosition;
}

export interface NixErrorBlock {
  message: string;
  position?: NixPosition;
  /** innermost first */
  frames: NixFrame[];
}

export interface NixOutput {
  errors: NixErrorBlock[];
  /** `warning: …`, `trace: warning: …`, `evaluation warning: …` lines */
  warnings: string[];
}

const SUMMARY = /^some errors were encountered during the evaluation$/;

/** Splits Nix's stderr into error blocks (each `error:` line at column 0 and its indented continuation). */
export function splitNixOutput(stderr: string): NixOutput {
  const lines = stderr.replace(ANSI, "").replace(/\r/g, "").split("\n");
  const errors: NixErrorBlock[] = [];
  const warnings: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const head = /^error(?: \(ignored\))?:(.*)$/.exec(line);
    if (!head) {
      const warning = /^(?:trace: |evaluation )?warning: (.*)$/.exec(line);
      // an option renamed in one module warns once per evaluation of it: report it once
      if (warning && !warnings.includes(warning[1]!.trim())) warnings.push(warning[1]!.trim());
      i++;
      continue;
    }
    const body = [head[1]!];
    i++;
    while (i < lines.length && (lines[i] === "" || /^\s/.test(lines[i]!))) body.push(lines[i++]!);
    const block = parseBlock(body);
    if (block && !SUMMARY.test(block.message)) errors.push(block);
  }
  return { errors, warnings };
}

function parseBlock(body: string[]): NixErrorBlock | undefined {
  const messageLines: string[] = [];
  let messagePosition: NixPosition | undefined;
  const frames: NixFrame[] = [];
  let sawMessageFirst = false;
  // what the next `at file:line:col:` belongs to
  let current: "message" | NixFrame = "message";
  let lastPosition: NixPosition | undefined;
  for (const raw of body) {
    let text = raw.trim();
    if (!text) continue;
    const snippet = SNIPPET.exec(text);
    if (snippet) {
      if (lastPosition && Number(snippet[1]) === lastPosition.line) lastPosition.snippet = snippet[2];
      continue;
    }
    if (text.startsWith("|")) continue;
    if (/^\((?:stack trace truncated|use '--show-trace')/.test(text)) continue;
    const at = AT.exec(text);
    if (at) {
      const position: NixPosition = { path: at[1]!, line: Number(at[2]), column: Number(at[3]) };
      lastPosition = position;
      if (current === "message") messagePosition ??= position;
      else current.position ??= position;
      continue;
    }
    if (text.startsWith("…")) {
      const frame: NixFrame = { text: text.replace(/^…\s*/, "") };
      frames.push(frame);
      current = frame;
      continue;
    }
    // a nested `error:` starts (again) the message: the real one in newer Nix, a doubled prefix in 2.8's `error (ignored): error:`
    while (/^error:/.test(text)) {
      text = text.replace(/^error:\s*/, "");
      if (frames.length > 0) {
        messageLines.length = 0;
        messagePosition = undefined;
      }
      current = "message";
    }
    if (!text) continue;
    if (current !== "message") {
      current.text += ` ${text}`;
      continue;
    }
    if (frames.length === 0) sawMessageFirst = true;
    messageLines.push(text);
  }
  const message = messageLines.join("\n").trim();
  if (!message && frames.length === 0) return undefined;
  // Nix 2.8 prints the innermost frame first; newer Nix prints the outermost first
  const innermostFirst = sawMessageFirst ? frames : [...frames].reverse();
  return { message: message || "evaluation failed", position: messagePosition, frames: innermostFirst };
}

export interface FlakeErrorContext {
  /** the repo's files (git-tracked when a git repo): Nix copies exactly these into /nix/store/…-source */
  repoFiles: ReadonlySet<string>;
  /** absolute paths the repo is known by outside the store (the local dir, `/repo` in Docker) */
  repoRoots?: readonly string[];
  /** the text of a repo file's line, to confirm that a store path is this repo's copy and not an input's */
  lineOf?: (file: string, line: number) => string | undefined;
  /** the flake's directory inside its git repository ("" at the root): Nix copies the whole git repo */
  subdir?: string;
}

export interface FlakeError {
  message: string;
  /** nixosConfigurations.<host> (or the check named after it) */
  host?: string;
  /** the flake output being checked, e.g. `nixosConfigurations.web` or `checks.x86_64-linux.web` */
  attr?: string;
  /** the NixOS option the message names */
  option?: string;
  file?: string;
  line?: number;
  column?: number;
  source?: string;
}

/** A path from Nix's output as a repo-relative path, when it is a file of this repo. */
export function repoPathOf(path: string, ctx: FlakeErrorContext, snippet?: string, line?: number): string | undefined {
  let rel: string | undefined;
  const store = STORE_PATH.exec(path);
  if (store) {
    rel = store[1]!;
    if (ctx.subdir) rel = rel.startsWith(`${ctx.subdir}/`) ? rel.slice(ctx.subdir.length + 1) : undefined;
  } else for (const root of ctx.repoRoots ?? []) if (path.startsWith(`${root.replace(/\/$/, "")}/`)) rel = path.slice(root.replace(/\/$/, "").length + 1);
  if (rel === undefined || !ctx.repoFiles.has(rel)) return undefined;
  // nixpkgs has a flake.nix too: when Nix showed the line, it must be this repo's line
  if (snippet !== undefined && line !== undefined && ctx.lineOf) {
    const ours = ctx.lineOf(rel, line);
    if (ours !== undefined && ours.trim() !== snippet.trim()) return undefined;
  }
  return rel;
}

const OPTION = /(?:[Oo]ption|definition for option) [`‘']([^'’`]+)['’]/;
const DEFINED_IN = /[Ii]n [`‘'](\/[^'’`]+)['’]/g;
const DEFINITIONS_FROM = /definitions from [`‘'](\/[^'’`]+)['’]/;

function attrFromFrames(frames: readonly NixFrame[]): string | undefined {
  // the most specific flake output mentioned: `checks.x86_64-linux.web` over `checks`
  let best: string | undefined;
  for (const f of frames) {
    const m = /while checking (?:the )?(?:[\w ]+?) '([^']+)'/.exec(f.text);
    if (m && (!best || m[1]!.length > best.length)) best = m[1];
  }
  return best;
}

function hostOf(attr: string | undefined, frames: readonly NixFrame[]): string | undefined {
  for (const f of frames) {
    const m = /NixOS configuration '(?:nixosConfigurations\.)?("?)([^'"]+)\1'/.exec(f.text);
    if (m) return m[2];
  }
  // the generated flake names its checks after the hosts: checks.<system>.<host>
  const check = attr && /^checks\.[^.]+\.("?)([^"]+)\1$/.exec(attr);
  return check ? check[2] : undefined;
}

/** The store paths Nix copied this repo to: those of positions whose printed line matches the repo's. */
function repoStorePrefixes(output: NixOutput, ctx: FlakeErrorContext): string[] {
  const prefixes = new Set<string>();
  for (const block of output.errors) {
    for (const p of [block.position, ...block.frames.map((f) => f.position)]) {
      if (!p?.snippet) continue;
      const store = /^(\/nix\/store\/[0-9a-z]{32}-[^/]+)\//.exec(p.path);
      if (store && repoPathOf(p.path, ctx, p.snippet, p.line)) prefixes.add(ctx.subdir ? `${store[1]}/${ctx.subdir}` : store[1]!);
    }
  }
  return [...prefixes];
}

/** `/nix/store/…-source/hosts/db` → `./hosts/db`: the user knows their repo, not its store copy. */
function relativiseMessage(message: string, prefixes: readonly string[]): string {
  let out = message;
  for (const prefix of prefixes) out = out.split(`${prefix}/`).join("./").split(prefix).join(".");
  return out;
}

/** Pure: each error block as a FlakeError pointing at the host, the option and the repo file. */
export function describeFlakeErrors(output: NixOutput, ctx: FlakeErrorContext): FlakeError[] {
  const out: FlakeError[] = [];
  const seen = new Set<string>();
  const prefixes = repoStorePrefixes(output, ctx);
  for (const block of output.errors) {
    const attr = attrFromFrames(block.frames);
    const host = hostOf(attr, block.frames);
    const option = OPTION.exec(block.message)?.[1];
    let file: string | undefined;
    let line: number | undefined;
    let column: number | undefined;
    let source: string | undefined;
    const take = (p: NixPosition | undefined) => {
      if (!p || file) return;
      const rel = repoPathOf(p.path, ctx, p.snippet, p.line);
      if (rel) {
        file = rel;
        line = p.line;
        column = p.column;
        source = p.snippet ?? ctx.lineOf?.(rel, p.line);
      }
    };
    // 1. where the error itself is
    take(block.position);
    // 2. a NixOS definition site named in the message ("In `/nix/store/…-source/hosts/web/configuration.nix'")
    if (!file) {
      for (const m of block.message.matchAll(DEFINED_IN)) {
        const rel = repoPathOf(m[1]!, ctx);
        if (rel) {
          file = rel;
          break;
        }
      }
    }
    // 3. the innermost frame in one of the repo's modules (flake.nix frames are mostly plumbing)
    for (const frame of block.frames) {
      if (file) break;
      const from = DEFINITIONS_FROM.exec(frame.text);
      if (frame.position && repoPathOf(frame.position.path, ctx, frame.position.snippet, frame.position.line) !== "flake.nix") take(frame.position);
      else if (from && repoPathOf(from[1]!, ctx) !== "flake.nix") file = repoPathOf(from[1]!, ctx);
    }
    // 4. where the failing output is defined ("while checking the NixOS configuration …" points at it), then any frame
    take(block.frames.find((f) => /^while checking /.test(f.text) && f.position)?.position);
    for (const frame of block.frames) take(frame.position);
    // nixosConfigurations.web and checks.<system>.web fail alike: one finding per host and message
    const key = JSON.stringify(host ? [block.message, host] : [block.message, attr, file, line]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ message: relativiseMessage(block.message, prefixes), host, attr, option, file, line, column, source });
  }
  return out;
}

/** Pure: Nix could not fetch an input (offline, DNS): the check could not run, rather than found a fault. */
export function fetchFailure(output: NixOutput): string | undefined {
  const block = output.errors.find((e) =>
    /unable to download|[Cc]ould(?:n't| not) resolve host|Temporary failure in name resolution|[Nn]etwork is unreachable|unable to access 'https?:|cannot connect to|Failed to connect|failed to fetch|Could not connect/.test(e.message),
  );
  return block?.message.split("\n")[0];
}
