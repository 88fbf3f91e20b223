#!/usr/bin/env bash
# Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
# Runs the nixos-stack tools on this repo: `sync` re-renders the generated files from
# nixos-stack.json, `check` checks the repo. Published packages by default; a clone of the
# nixos-stack monorepo when NIXOS_STACK_DEV names one.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: ./stack.sh sync [--dry-run] [--force]
       ./stack.sh check [nixos-stack-check options]

Commands:
  sync     re-render the generated files from nixos-stack.json (create-nixos-stack --sync .):
           generated files are rewritten, your files are left alone, a generated file you
           edited is reported instead of overwritten. --dry-run prints the plan and writes
           nothing; --force replaces generated files you edited (never your own files).
  check    nixos-stack-check on this repo: manifest drift, Nix parse, shellcheck, secrets
           lint, nix flake check (`./stack.sh check --help` lists its options).

Which tools run:
  - NIXOS_STACK_DEV=/path/to/nixos-stack set: the bins of that clone of the nixos-stack
    monorepo (build it first: pnpm install && pnpm build). For templates not yet released,
    or before the packages are published.
  - otherwise the versions package.json pins (create-nixos-stack, @nixos-stack/check),
    installed by npm into node_modules the first time (npm ci when package-lock.json
    exists, else npm install; a dry run writes no package-lock.json). After changing
    those versions, run npm install.

Options:
  -h, --help   this help
USAGE
}

die() {
  printf 'error: %s\n' "$*" >&2
  exit 2
}

# paths given on the command line (NIXOS_STACK_DEV) are relative to where the script was started
CALLER_DIR="$PWD"
cd "$(dirname "${BASH_SOURCE[0]}")"

[[ $# -gt 0 ]] || { usage >&2; die "a command is required: sync or check"; }
COMMAND="$1"
shift
case "$COMMAND" in
  sync) BIN=create-nixos-stack DEV_BIN=packages/create-nixos-stack/dist/bundle/bin.cjs TOOL_ARGS=(--sync .) ;;
  check) BIN=nixos-stack-check DEV_BIN=packages/check/dist/bin.js TOOL_ARGS=(.) ;;
  -h | --help) usage; exit 0 ;;
  *) usage >&2; die "unknown command: $COMMAND (use sync or check)" ;;
esac

command -v node >/dev/null 2>&1 || die "node not found: the nixos-stack tools need Node.js 20.19 or later (https://nodejs.org)"

# dev_tool: the bin of the clone NIXOS_STACK_DEV names, or an error saying how to build it.
dev_tool() {
  local clone="$NIXOS_STACK_DEV"
  [[ "$clone" == /* ]] || clone="$CALLER_DIR/$clone"
  [[ -f "$clone/pnpm-workspace.yaml" ]] || die "NIXOS_STACK_DEV=$NIXOS_STACK_DEV: not a clone of the nixos-stack monorepo (no pnpm-workspace.yaml in $clone)"
  [[ -f "$clone/$DEV_BIN" ]] || die "NIXOS_STACK_DEV=$NIXOS_STACK_DEV: $DEV_BIN is not built: run pnpm install && pnpm build in $clone"
  TOOL=(node "$clone/$DEV_BIN")
}

# is_dry_run ARG...: true when the tool's arguments ask for a dry run.
is_dry_run() {
  local arg
  for arg in "$@"; do [[ "$arg" != --dry-run ]] || return 0; done
  return 1
}

# installed_tool ARG...: node_modules/.bin/BIN, installing package.json's devDependencies first when missing.
installed_tool() {
  if [[ ! -x "node_modules/.bin/$BIN" ]]; then
    command -v npm >/dev/null 2>&1 || die "npm not found: it installs the nixos-stack tools package.json pins (it comes with Node.js); or set NIXOS_STACK_DEV to a built clone of nixos-stack"
    local -a install=(npm install --no-audit --no-fund)
    if [[ -f package-lock.json ]]; then
      install=(npm ci --no-audit --no-fund)
    elif is_dry_run "$@"; then
      # a dry run writes no file of the repo: npm then writes only node_modules (ignored by git)
      install+=(--no-package-lock)
    fi
    printf 'stack.sh: installing the nixos-stack tools package.json pins: %s\n' "${install[*]}" >&2
    "${install[@]}" >&2
    [[ -x "node_modules/.bin/$BIN" ]] || die "node_modules/.bin/$BIN is missing after ${install[*]}: does package.json still list it in devDependencies?"
    if [[ -d .git ]] && command -v git >/dev/null 2>&1 && ! git check-ignore -q node_modules; then
      printf 'stack.sh: add node_modules/ to .gitignore, so git (and the flake) leave the tools out\n' >&2
    fi
  fi
  TOOL=("node_modules/.bin/$BIN")
}

if [[ -n "${NIXOS_STACK_DEV:-}" ]]; then dev_tool; else installed_tool "$@"; fi
exec "${TOOL[@]}" "${TOOL_ARGS[@]}" "$@"
