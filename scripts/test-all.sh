#!/usr/bin/env bash
# The whole test suite, as CI runs it: setup (idempotent), build + typecheck + lint (one turbo run),
# examples drift, then every test (unit, property-based with the real Nix, end-to-end on the built
# bins). The log ends with one plain line: "vitest: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# a log that is not a terminal (CI, a redirect) gets no colour codes
[[ -t 1 ]] || export NO_COLOR=1
./scripts/setup.sh --no-build
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0 COREPACK_INTEGRITY_KEYS="${COREPACK_INTEGRITY_KEYS:-0}"
pnpm exec turbo run build typecheck lint --output-logs=errors-only
node scripts/generate-examples.mjs --check
./scripts/run-vitest.sh
