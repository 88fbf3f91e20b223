#!/usr/bin/env bash
# Quick start from a clone: set up the workspace, then run the scaffolder
# (the same bin `npm create nixos-stack` runs). Arguments go to it, e.g.
#   ./scripts/create-stack.sh my-infra --yes
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/setup.sh" >&2
status=0
node "$here/packages/create-nixos-stack/dist/bundle/bin.cjs" "$@" || status=$?
# the packages are not published yet: the generated repo's stack.sh runs this clone's bins when told
quiet=0
for arg in "$@"; do case "$arg" in -h | --help | -v | --version | --dry-run) quiet=1 ;; esac; done
if [[ $status -eq 0 && $quiet -eq 0 ]]; then
  printf '\nFrom this clone (before the packages are published), run the repo tools as\n  NIXOS_STACK_DEV=%q ./stack.sh sync|check\n' "$here"
fi
exit "$status"
