#!/usr/bin/env bash
# The whole test suite, as CI runs it: setup (idempotent), typecheck, lint, examples drift,
# then every test (unit, property-based with the real Nix, end-to-end on the built bins).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./scripts/setup.sh
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0 COREPACK_INTEGRITY_KEYS="${COREPACK_INTEGRITY_KEYS:-0}"
pnpm typecheck --output-logs=errors-only
pnpm lint --output-logs=errors-only
node scripts/generate-examples.mjs --check

results="$(mktemp)"
trap 'rm -f "$results"' EXIT
status=0
pnpm exec vitest run --reporter=default --reporter=json --outputFile="$results" || status=$?
# one plain closing line: "vitest: N passed, N failed, N skipped" (JavaScript, not shell, expansions)
# shellcheck disable=SC2016
node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);' "$results" || true
exit "$status"
