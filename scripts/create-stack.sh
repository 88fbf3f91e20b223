#!/usr/bin/env bash
# Quick start from a clone: set up the workspace, then run the scaffolder
# (the same bin `npm create nixos-stack` runs). Arguments go to it, e.g.
#   ./scripts/create-stack.sh my-infra --yes
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/setup.sh" >&2
exec node "$here/packages/create-nixos-stack/dist/bundle/bin.cjs" "$@"
