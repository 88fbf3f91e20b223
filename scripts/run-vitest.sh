#!/usr/bin/env bash
# Every vitest test, as test-all.sh runs them, closing with one plain line:
# "vitest: N passed, N failed, N skipped". Arguments go to vitest (a path, --root, -t …).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# a log that is not a terminal (CI, a redirect) gets no colour codes: vitest colours whenever TERM is set
[[ -t 1 ]] || export NO_COLOR=1
exec pnpm exec vitest run --reporter=default --reporter="$PWD/scripts/vitest-summary.mjs" "$@"
