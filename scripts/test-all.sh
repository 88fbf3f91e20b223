#!/usr/bin/env bash
# The whole test suite, as CI runs it: setup (idempotent), typecheck, then every test
# (unit, property-based with the real Nix, end-to-end on the built bins, examples drift).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./scripts/setup.sh
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0 COREPACK_INTEGRITY_KEYS="${COREPACK_INTEGRITY_KEYS:-0}"
pnpm typecheck --output-logs=errors-only
node scripts/generate-examples.mjs --check
pnpm exec vitest run
