#!/usr/bin/env bash
# The real `nix flake check` of one example on one nixpkgs branch, as the monorepo's CI runs it
# (.github/workflows/ci.yml, job flake-check): real inputs from the network, the VM tests in
# `checks` included (they need KVM: system-features must list kvm and nixos-test).
#
#   scripts/flake-check-example.sh EXAMPLE BRANCH [--prepare-only]
#
# The example is copied to a temporary directory; for a branch other than its own, its
# nixos-stack.json gets that nixpkgs.branch and the copy is re-rendered with this clone's built
# bin (`--sync`, as `./stack.sh sync` would), so flake.nix follows the branch and pins the
# home-manager commit that matches it. --prepare-only stops before Nix, prints the directory and
# writes the arguments of `nix flake check` beside it, one a line, in <directory>.check-args
# (the tests use it; nothing is removed then). Build first: `pnpm build`.
#
# An example whose app source is a placeholder (a flake input under github:nixos-stack-examples/,
# an organisation that does not exist: examples/discord-bot*) cannot be built for real: its input
# is replaced by scripts/fixtures/placeholder-app and the check runs with --no-build, so every
# host, option, assertion and VM test is evaluated against the real inputs, but no package or VM
# test is built. The script says so when it does it.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() { echo "usage: scripts/flake-check-example.sh EXAMPLE BRANCH [--prepare-only]" >&2; exit 2; }
(($# == 2 || $# == 3)) || usage
example=$1
branch=$2
prepare_only=0
if (($# == 3)); then
  [[ $3 == --prepare-only ]] || usage
  prepare_only=1
fi

if [[ ! $example =~ ^[a-z0-9][a-z0-9-]*$ || ! -f $root/examples/$example/nixos-stack.json ]]; then
  echo "flake-check-example: no example named '$example' (one of: $(cd "$root/examples" && echo */ | tr -d /))" >&2
  exit 2
fi
# the branches a generated repo may follow (packages/core/src/manifest/releases.ts)
case $branch in
  nixos-26.05 | nixos-unstable) ;;
  *) echo "flake-check-example: BRANCH '$branch' is not one nixos-stack supports: nixos-26.05 or nixos-unstable" >&2; exit 2 ;;
esac

bin=$root/packages/create-nixos-stack/dist/bundle/bin.cjs
[[ -f $bin ]] || { echo "flake-check-example: $bin is missing: run \`pnpm build\` first" >&2; exit 1; }
command -v jq >/dev/null || { echo "flake-check-example: jq is missing (Debian: apt-get install jq)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/flake-check-$example-XXXXXX")
if ((!prepare_only)); then trap 'rm -rf "$work"' EXIT; fi
cp -a "$root/examples/$example/." "$work/"

if [[ $(jq -r .nixpkgs.branch "$work/nixos-stack.json") != "$branch" ]]; then
  jq --arg branch "$branch" '.nixpkgs.branch = $branch' "$work/nixos-stack.json" > "$work/nixos-stack.json.new"
  mv "$work/nixos-stack.json.new" "$work/nixos-stack.json"
  node "$bin" --sync "$work" > /dev/null
fi
grep -qF "github:NixOS/nixpkgs/$branch\"" "$work/flake.nix" || {
  echo "flake-check-example: $work/flake.nix does not follow $branch after the sync" >&2
  exit 1
}

# the inputs whose source is a placeholder: `NAME = {` followed by its url line
placeholders=()
while IFS= read -r name; do placeholders+=("$name"); done < <(
  awk '/^    [A-Za-z0-9_-]+ = \{$/ { name = $1 } /url = "github:nixos-stack-examples\// { print name }' "$work/flake.nix"
)
check_args=(-L --keep-going --show-trace)
for name in "${placeholders[@]}"; do
  check_args+=(--override-input "$name" "path:$root/scripts/fixtures/placeholder-app")
done
if ((${#placeholders[@]})); then
  check_args+=(--no-build)
  echo "flake-check-example: examples/$example's ${placeholders[*]} is a placeholder source (github:nixos-stack-examples/…): evaluating only (--no-build), with scripts/fixtures/placeholder-app in its place" >&2
fi

if ((prepare_only)); then
  echo "$work"
  printf '%s\n' "${check_args[@]}" > "$work.check-args"
  exit 0
fi
echo "flake-check-example: nix flake check of examples/$example on $branch (in $work)"
# path: a copy without .git; -L prints each build's log, --keep-going reports every failing check
nix --extra-experimental-features "nix-command flakes" flake check "${check_args[@]}" "path:$work"
